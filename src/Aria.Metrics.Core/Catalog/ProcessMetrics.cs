using System.Runtime.CompilerServices;

namespace Aria.Metrics.Catalog;

/// <summary>
/// The process metrics every Prometheus user expects, with client_golang's names and help texts, read from Linux
/// procfs at each scrape: CPU time, resident and virtual memory, start time, open and maximum file descriptors.
/// </summary>
/// <remarks>
/// Reading takes no lock: every scrape parses into its own stack buffer, and the CPU counter keeps the highest reading,
/// so overlapping scrapes cannot make it step back. Where procfs is missing (any system but Linux), nothing is registered.
/// </remarks>
public static class ProcessMetrics
{
    private static readonly ConditionalWeakTable<MetricRegistry, object> Registered = new();
    private static readonly object Marker = new();

    /// <summary>
    /// Registers the <c>process_*</c> families on <paramref name="registry"/> and a collect callback that refreshes them at
    /// every scrape. Registering twice on the same registry does nothing the second time.
    /// </summary>
    /// <returns>True when the families are registered (now or before); false where procfs is unavailable.</returns>
    /// <exception cref="InvalidOperationException">One of the names is registered with a different definition.</exception>
    public static bool Register(MetricRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (!ProcFs.IsAvailable)
        {
            return false;
        }

        ObservedCounter cpu = registry.CreateObservedCounter(
            "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        Gauge resident = registry.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        Gauge virtualMemory = registry.CreateGauge("process_virtual_memory_bytes", "Virtual memory size in bytes.");
        Gauge startTime = registry.CreateGauge(
            "process_start_time_seconds", "Start time of the process since unix epoch in seconds.");
        Gauge openFds = registry.CreateGauge("process_open_fds", "Number of open file descriptors.");
        Gauge maxFds = registry.CreateGauge("process_max_fds", "Maximum number of open file descriptors.");

        if (Registered.TryAdd(registry, Marker))
        {
            // The boot time never changes, so the start time is known once and for all.
            if (ProcFs.TryReadBootTime(out long bootTime) && ProcFs.TryReadStat(out ProcessStat stat))
            {
                startTime.Set(bootTime + (stat.StartTicks / ProcFs.UserHz));
            }

            registry.AddCollectCallback(() =>
            {
                if (ProcFs.TryReadStat(out ProcessStat now))
                {
                    cpu.Set((now.UserTicks + now.SystemTicks) / ProcFs.UserHz);
                    resident.Set((double)now.ResidentPages * Environment.SystemPageSize);
                    virtualMemory.Set(now.VirtualBytes);
                }

                int open = ProcFs.CountOpenFiles();
                if (open >= 0)
                {
                    openFds.Set(open);
                }

                if (ProcFs.TryReadMaxOpenFiles(out double max))
                {
                    maxFds.Set(max);
                }
            });
        }

        return true;
    }
}
