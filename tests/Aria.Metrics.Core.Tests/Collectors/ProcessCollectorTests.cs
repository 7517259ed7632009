using System.Diagnostics;
using Aria.Metrics.Exposition;

namespace Aria.Metrics.Tests.Collectors;

/// <summary>The process metrics read from procfs at scrape time: present on Linux, and plausible.</summary>
public sealed class ProcessMetricsTests
{
    [Fact]
    public void Registration_is_idempotent_and_reports_whether_procfs_is_there()
    {
        var registry = new MetricRegistry();

        ProcessMetrics? first = registry.AddProcessMetrics();
        int families = registry.Families.Count;
        int callbacks = registry.CollectCallbackCount;
        ProcessMetrics? second = registry.AddProcessMetrics();

        Assert.Equal(OperatingSystem.IsLinux(), first is not null);
        Assert.Same(first, second);
        Assert.Equal(families, registry.Families.Count);
        Assert.Equal(callbacks, registry.CollectCallbackCount);
        // Six process families, and the registry's own counts of failing and late collect callbacks.
        Assert.Equal(first is not null ? 8 : 0, families);
    }

    [LinuxFact]
    public void The_families_have_client_golang_s_names_types_and_help()
    {
        var registry = new MetricRegistry();
        registry.AddProcessMetrics();
        string text = Render.Text(registry);

        Assert.Contains("# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n# TYPE process_cpu_seconds_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP process_resident_memory_bytes Resident memory size in bytes.\n# TYPE process_resident_memory_bytes gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n# TYPE process_virtual_memory_bytes gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n# TYPE process_start_time_seconds gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP process_open_fds Number of open file descriptors.\n# TYPE process_open_fds gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP process_max_fds Maximum number of open file descriptors.\n# TYPE process_max_fds gauge\n", text, StringComparison.Ordinal);
    }

    [LinuxFact]
    public void The_values_are_plausible()
    {
        var registry = new MetricRegistry();
        registry.AddProcessMetrics();
        _ = Render.Text(registry);

        double resident = Gauge(registry, "process_resident_memory_bytes");
        Assert.InRange(resident, 1024 * 1024, Gauge(registry, "process_virtual_memory_bytes"));

        double now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        double start = Gauge(registry, "process_start_time_seconds");
        Assert.InRange(start, now - TimeSpan.FromDays(1).TotalSeconds, now);

        // The runtime works the start time out from the same kernel figures; the two agree to the boot time's second.
        double runtimeStart = new DateTimeOffset(Process.GetCurrentProcess().StartTime).ToUnixTimeMilliseconds() / 1000.0;
        Assert.InRange(start, runtimeStart - 1.5, runtimeStart + 1.5);

        double open = Gauge(registry, "process_open_fds");
        Assert.True(open > 0, $"open fds: {open}");
        Assert.True(Gauge(registry, "process_max_fds") >= open);
    }

    [LinuxFact]
    public void Open_fds_follow_files_being_opened()
    {
        var registry = new MetricRegistry();
        registry.AddProcessMetrics();
        _ = Render.Text(registry);
        double before = Gauge(registry, "process_open_fds");

        var handles = new List<FileStream>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                handles.Add(File.OpenRead("/proc/self/stat"));
            }

            _ = Render.Text(registry);

            // Other tests open and close files in parallel: only a clear rise is asserted.
            Assert.True(Gauge(registry, "process_open_fds") >= before + 10, $"before {before}, after {Gauge(registry, "process_open_fds")}");
        }
        finally
        {
            handles.ForEach(h => h.Dispose());
        }
    }

    [LinuxFact]
    public void Cpu_seconds_grow_under_load()
    {
        var registry = new MetricRegistry();
        registry.AddProcessMetrics();
        _ = Render.Text(registry);
        var cpu = (ObservedCounter)registry.Families.Single(f => f.Name == "process_cpu_seconds_total");
        double before = cpu.Value;

        // Spin until this process has used at least 300 ms more CPU (the kernel counts in 10 ms ticks).
        TimeSpan target = Environment.CpuUsage.TotalTime + TimeSpan.FromMilliseconds(300);
        var deadline = Stopwatch.StartNew();
        ulong spin = 0;
        while (Environment.CpuUsage.TotalTime < target && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            for (int i = 0; i < 100_000; i++)
            {
                spin = unchecked((spin * 6364136223846793005UL) + 1442695040888963407UL);
            }
        }

        _ = Render.Text(registry);
        Assert.True(cpu.Value >= before + 0.2, $"CPU seconds went from {before} to {cpu.Value} (spin {spin})");
    }

    [LinuxFact]
    public void Concurrent_scrapes_never_fail_and_the_cpu_counter_never_steps_back()
    {
        var registry = new MetricRegistry();
        ObservedCounter cpu = registry.AddProcessMetrics()!.CpuSeconds;
        registry.AddRuntimeMetrics();
        int regressions = 0;
        Parallel.For(0, 4, worker =>
        {
            double last = 0;
            for (int i = 0; i < 100; i++)
            {
                _ = Render.Text(registry);
                double now = cpu.Value;
                if (now < last)
                {
                    Interlocked.Increment(ref regressions);
                }

                last = now;
            }
        });

        Assert.Equal(0, regressions);
        Assert.Equal(0, registry.CollectCallbackFailures);
    }

    [LinuxFact]
    public void A_scrape_of_the_process_metrics_allocates_little()
    {
        var registry = new MetricRegistry();
        registry.AddProcessMetrics();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        for (int i = 0; i < 50; i++)
        {
            buffer.ResetWrittenCount();
            registry.Write(buffer, ExpositionFormat.PrometheusText);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            buffer.ResetWrittenCount();
            registry.Write(buffer, ExpositionFormat.PrometheusText);
        }

        // The file handles and the directory enumerator: a few hundred bytes, whatever the number of descriptors.
        long perScrape = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        Assert.InRange(perScrape, 0, 1024);
    }

    private static double Gauge(MetricRegistry registry, string name) =>
        ((Gauge)registry.Families.Single(f => f.Name == name)).Value;
}
