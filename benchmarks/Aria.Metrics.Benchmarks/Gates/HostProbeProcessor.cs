using System.Collections.Concurrent;
using System.Globalization;
using Aria.Metrics.Benchmarks.Support;
using BenchmarkDotNet.EventProcessors;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aria.Metrics.Benchmarks.Gates;

/// <summary>
/// Probes the host (see <see cref="HostProbe"/>) on every processor right before every benchmark case of the gates and
/// names the processor that probed fastest to the benchmark process (<see cref="ProcessorAffinity.BindFromEnvironment"/>:
/// the hot-path benchmarks bind their thread to it), then probes that processor again right after the case, so that a
/// gate can tell the cases measured on a quiet processor from those a neighbour slowed. A case of several threads is
/// left unbound, and every processor is probed after it too.
/// </summary>
internal sealed class HostProbeProcessor : EventProcessor
{
    /// <summary>A case measured while the probe ran this much slower than its best counts as measured on a busy host.</summary>
    public const double BusyHost = 1.3;

    private readonly ConcurrentDictionary<BenchmarkCase, List<(int Processor, double Time)>> _probes = new();

    public override void OnStartRunBenchmark(BenchmarkCase benchmarkCase)
    {
        var probes = new List<(int Processor, double Time)>();
        for (int processor = 0; processor < HostProbe.Processors; processor++)
        {
            if (HostProbe.MeasureOn(processor) is { } time)
            {
                probes.Add((processor, time));
            }
        }

        ProcessorAffinity.TryUnbind();
        string? chosen = null;
        if (probes.Count != 0 && !IsMultiThreaded(benchmarkCase))
        {
            (int fastest, double time) = probes.MinBy(p => p.Time);
            probes = [(fastest, time)];
            chosen = fastest.ToString(CultureInfo.InvariantCulture);
        }

        // The benchmark process inherits this process's environment.
        Environment.SetEnvironmentVariable(ProcessorAffinity.BenchmarkProcessorVariable, chosen);
        _probes[benchmarkCase] = probes;
    }

    public override void OnEndRunBenchmark(BenchmarkCase benchmarkCase, BenchmarkReport report)
    {
        Environment.SetEnvironmentVariable(ProcessorAffinity.BenchmarkProcessorVariable, null);
        if (_probes.TryGetValue(benchmarkCase, out List<(int Processor, double Time)>? probes))
        {
            foreach (int processor in probes.Select(p => p.Processor).Distinct().ToList())
            {
                if (HostProbe.MeasureOn(processor) is { } time)
                {
                    probes.Add((processor, time));
                }
            }
        }

        ProcessorAffinity.TryUnbind();
    }

    /// <summary>
    /// The worst slowdown the probes saw around <paramref name="benchmarkCase"/>, against the best of the whole run;
    /// null when it was not probed (threads cannot be bound here).
    /// </summary>
    public double? Slowdown(BenchmarkCase benchmarkCase) =>
        _probes.TryGetValue(benchmarkCase, out List<(int Processor, double Time)>? probes) && probes.Count != 0
            ? probes.Max(p => HostProbe.Slowdown(p.Processor, p.Time))
            : null;

    private static bool IsMultiThreaded(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters.Items.Any(p => p.Name == "Threads" && p.Value is int threads && threads > 1);
}
