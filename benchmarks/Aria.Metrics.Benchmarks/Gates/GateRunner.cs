using System.Diagnostics;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Aria.Metrics.Benchmarks.Gates;

/// <summary>
/// The perf gates that CI runs: a short in-process job over the subset of benchmarks the gates read, the figures
/// taken from BenchmarkDotNet's summary, every failed gate re-measured once (both of its sides, in one new run) before
/// it fails the run. Prints one <c>gate &lt;name&gt;: &lt;figure&gt; (limit &lt;limit&gt;) PASS|FAIL</c> line per gate
/// and returns 0 when all pass, 1 otherwise.
/// </summary>
internal static class GateRunner
{
    private static readonly Type Hot = typeof(HotPathBenchmarks);

    /// <summary>The gates of issue 5, with its limits.</summary>
    public static IReadOnlyList<Gate> All { get; } = CreateGates();

    public static int Run()
    {
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"Perf gates: {All.Count} gates over {All.SelectMany(g => g.Needs).Distinct().Count()} benchmarks, " +
                          $"{Environment.ProcessorCount} processors, .NET {Environment.Version}");

        Dictionary<Gate, GateOutcome> outcomes = Measure(All);
        List<Gate> failed = [.. All.Where(g => !outcomes[g].Passed)];
        if (failed.Count != 0)
        {
            foreach (Gate gate in failed)
            {
                GateOutcome first = outcomes[gate];
                Console.WriteLine($"first measurement of gate {gate.Name}: {first.Figure} (limit {first.Limit}) FAIL; re-measuring once");
            }

            foreach ((Gate gate, GateOutcome outcome) in Measure(failed))
            {
                outcomes[gate] = outcome;
            }
        }

        Console.WriteLine();
        Console.WriteLine("Perf gates:");
        foreach (Gate gate in All)
        {
            GateOutcome outcome = outcomes[gate];
            Console.WriteLine($"gate {gate.Name}: {outcome.Figure} (limit {outcome.Limit}) {(outcome.Passed ? "PASS" : "FAIL")}");
            Console.WriteLine($"    {outcome.Detail}");
        }

        List<Gate> failures = [.. All.Where(g => !outcomes[g].Passed)];
        foreach (Gate gate in failures)
        {
            GateOutcome outcome = outcomes[gate];
            Console.WriteLine($"FAILED gate {gate.Name}: {outcome.Detail}: {outcome.Figure}, limit {outcome.Limit} (failed twice)");
        }

        Console.WriteLine($"{All.Count - failures.Count} of {All.Count} gates passed in {clock.Elapsed:mm\\:ss}.");
        return failures.Count == 0 ? 0 : 1;
    }

    private static Gate[] CreateGates()
    {
        static BenchmarkKey H(string method) => new(Hot, method);
        BenchmarkKey scrapeText = new(typeof(ScrapeBenchmarks), nameof(ScrapeBenchmarks.Aria_Scrape), ("Series", 10_000), ("Format", Exposition.ExpositionFormat.PrometheusText));
        BenchmarkKey scrapeOpenMetrics = scrapeText with { Parameters = [("Series", 10_000), ("Format", Exposition.ExpositionFormat.OpenMetrics)] };
        BenchmarkKey scrapeProtobuf = scrapeText with { Parameters = [("Series", 10_000), ("Format", Exposition.ExpositionFormat.Protobuf)] };
        BenchmarkKey peerScrapeText = scrapeText with { Method = nameof(ScrapeBenchmarks.PromNet_Scrape) };
        BenchmarkKey twoThreads = new(typeof(ContentionBenchmarks), nameof(ContentionBenchmarks.Aria_Counter), ("Threads", 2));
        BenchmarkKey peerTwoThreads = twoThreads with { Method = nameof(ContentionBenchmarks.PromNet_Counter) };

        return
        [
            new ZeroAllocationGate("alloc Counter.Inc", H(nameof(HotPathBenchmarks.Aria_Counter_Inc))),
            new ZeroAllocationGate("alloc child Inc", H(nameof(HotPathBenchmarks.Aria_Child_Inc))),
            new ZeroAllocationGate("alloc WithLabels(2).Inc", H(nameof(HotPathBenchmarks.Aria_WithLabels_Inc))),
            new ZeroAllocationGate("alloc Gauge.Set", H(nameof(HotPathBenchmarks.Aria_Gauge_Set))),
            new ZeroAllocationGate("alloc Histogram.Observe", H(nameof(HotPathBenchmarks.Aria_Histogram_Observe))),
            new ZeroAllocationGate("alloc WithLabels(1).Observe", H(nameof(HotPathBenchmarks.Aria_WithLabels_Observe))),
            new ZeroAllocationGate("alloc scrape 10k text", scrapeText),
            new ZeroAllocationGate("alloc scrape 10k OpenMetrics", scrapeOpenMetrics),
            new ZeroAllocationGate("alloc scrape 10k protobuf", scrapeProtobuf),
            new RatioGate("WithLabels(2).Inc vs prometheus-net", H(nameof(HotPathBenchmarks.Aria_WithLabels_Inc)), H(nameof(HotPathBenchmarks.PromNet_WithLabels_Inc)), 0.5, throughput: false),
            new RatioGate("Histogram.Observe vs prometheus-net", H(nameof(HotPathBenchmarks.Aria_Histogram_Observe)), H(nameof(HotPathBenchmarks.PromNet_Histogram_Observe)), 0.8, throughput: false),
            new RatioGate("scrape 10k text vs prometheus-net", scrapeText, peerScrapeText, 0.5, throughput: false),
            new RatioGate("2-thread counter throughput vs prometheus-net", twoThreads, peerTwoThreads, 2.0, throughput: true, threads: 2),
            new RatioGate("Counter.Inc vs raw Interlocked", H(nameof(HotPathBenchmarks.Aria_Counter_Inc)), H(nameof(HotPathBenchmarks.Raw_Interlocked_Increment)), 2.0, throughput: false),
        ];
    }

    /// <summary>Runs every benchmark the gates need, in one run, and evaluates the gates on it.</summary>
    private static Dictionary<Gate, GateOutcome> Measure(IReadOnlyCollection<Gate> gates)
    {
        BenchmarkKey[] needed = [.. gates.SelectMany(g => g.Needs).Distinct()];
        Type[] types = [.. needed.Select(k => k.Type).Distinct()];
        Summary[] summaries = BenchmarkRunner.Run(types, CreateConfig(needed));
        BenchmarkReport[] reports = [.. summaries.SelectMany(s => s.Reports)];
        BenchmarkReport? Find(BenchmarkKey key) => reports.FirstOrDefault(r => key.Matches(r.BenchmarkCase));
        return gates.ToDictionary(g => g, g => g.Evaluate(Find));
    }

    private static ManualConfig CreateConfig(BenchmarkKey[] needed)
    {
        // In process: no per-run build, and the whole gate stays around a minute on two cores. Fifteen measured
        // iterations of 150 ms give a median that a noisy neighbour moves little.
        Job gate = Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(5), logOutput: false))
            .WithLaunchCount(1)
            .WithWarmupCount(5)
            .WithIterationCount(15)
            .WithIterationTime(TimeInterval.FromMilliseconds(150))
            .WithId("Gate");

        return ManualConfig.CreateEmpty()
            .AddJob(gate)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.Median)
            .AddLogger(new CompactLogger())
            .AddExporter(MarkdownExporter.GitHub)
            .AddFilter(new SimpleFilter(c => needed.Any(k => k.Matches(c))))
            .WithArtifactsPath(Path.Combine("BenchmarkDotNet.Artifacts", "gates"))
            .WithOptions(ConfigOptions.JoinSummary);
    }
}
