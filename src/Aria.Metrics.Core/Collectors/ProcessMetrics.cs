using Aria.Metrics.Collectors;

namespace Aria.Metrics;

/// <summary>
/// The process metrics every Prometheus user expects, with client_golang's names and help texts, read from Linux
/// procfs once per scrape: CPU time, resident and virtual memory, start time, open and maximum file descriptors.
/// Get them with <see cref="MetricRegistry.AddProcessMetrics"/>: one instance per registry.
/// </summary>
/// <remarks>
/// Reading takes no lock: every scrape parses into its own stack buffer, and the CPU counter keeps the highest reading,
/// so overlapping scrapes cannot make it step back.
/// </remarks>
public sealed class ProcessMetrics
{
    internal ProcessMetrics(MetricRegistry registry)
    {
        CpuSeconds = registry.CreateObservedCounter(
            "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        ResidentMemoryBytes = registry.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        VirtualMemoryBytes = registry.CreateGauge("process_virtual_memory_bytes", "Virtual memory size in bytes.");
        StartTimeSeconds = registry.CreateGauge(
            "process_start_time_seconds", "Start time of the process since unix epoch in seconds.");
        OpenFds = registry.CreateGauge("process_open_fds", "Number of open file descriptors.");
        MaxFds = registry.CreateGauge("process_max_fds", "Maximum number of open file descriptors.");

        // The boot time never changes, so the start time is known once and for all.
        if (ProcFs.TryReadBootTime(out long bootTime) && ProcFs.TryReadStat(out ProcessStat stat))
        {
            StartTimeSeconds.Set(bootTime + (stat.StartTicks / ProcFs.UserHz));
        }

        registry.AddCollectCallback(Collect);
    }

    /// <summary><c>process_cpu_seconds_total</c>: user plus system CPU time.</summary>
    public ObservedCounter CpuSeconds { get; }

    /// <summary><c>process_resident_memory_bytes</c>: the resident set size as of the last scrape.</summary>
    public Gauge ResidentMemoryBytes { get; }

    /// <summary><c>process_virtual_memory_bytes</c>.</summary>
    public Gauge VirtualMemoryBytes { get; }

    /// <summary><c>process_start_time_seconds</c>: Unix time at which the process started.</summary>
    public Gauge StartTimeSeconds { get; }

    /// <summary><c>process_open_fds</c>.</summary>
    public Gauge OpenFds { get; }

    /// <summary><c>process_max_fds</c>: the soft limit on open file descriptors.</summary>
    public Gauge MaxFds { get; }

    /// <summary>Whether this system has the procfs the collector reads (Linux).</summary>
    internal static bool IsSupported => ProcFs.IsAvailable;

    private void Collect()
    {
        if (ProcFs.TryReadStat(out ProcessStat now))
        {
            CpuSeconds.Set((now.UserTicks + now.SystemTicks) / ProcFs.UserHz);
            ResidentMemoryBytes.Set((double)now.ResidentPages * Environment.SystemPageSize);
            VirtualMemoryBytes.Set(now.VirtualBytes);
        }

        int open = ProcFs.CountOpenFiles();
        if (open >= 0)
        {
            OpenFds.Set(open);
        }

        if (ProcFs.TryReadMaxOpenFiles(out double max))
        {
            MaxFds.Set(max);
        }
    }
}
