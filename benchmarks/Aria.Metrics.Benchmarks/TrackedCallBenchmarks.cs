// Latest results, 2026-11-29, on an AMD EPYC 2.45 GHz VM with 2 vCPUs (exclusive CPU lock), Debian 12, .NET 10.0.12,
// BenchmarkDotNet 0.15.8 (--job short --iterationCount 12). How to run them: docs/benchmarks.md.
// | Method              | Categories  | Mean     | Error    | StdDev   | Median   | Ratio | RatioSD | Gen0   | Allocated | Alloc Ratio |
// |-------------------- |------------ |---------:|---------:|---------:|---------:|------:|--------:|-------:|----------:|------------:|
// | Aria_Track_Async    | Track.Async | 359.6 ns | 34.36 ns | 24.84 ns | 368.5 ns |  0.57 |    0.05 | 0.0273 |     464 B |        1.00 |
// | PromNet_Track_Async | Track.Async | 636.4 ns | 48.22 ns | 37.65 ns | 636.4 ns |  1.00 |    0.08 | 0.0273 |     464 B |        1.00 |
// | Aria_Track_Sync     | Track.Sync  | 121.7 ns |  7.32 ns |  5.72 ns | 122.1 ns |  0.24 |    0.02 |      - |         - |        0.00 |
// | PromNet_Track_Sync  | Track.Sync  | 507.2 ns | 45.87 ns | 33.17 ns | 511.6 ns |  1.00 |    0.09 | 0.0117 |     208 B |        1.00 |
// Before issue 15 (the label checked after the call, the first exception rethrown), in the same session:
// Aria_Track_Sync 113.7 ns, 0 B; Aria_Track_Async 303.9 ns, 328 B. The async path now pays an Unwrap promise (136 B)
// for passing every exception and the cancellation's own exception through.

using System.Diagnostics;
using Aria.Metrics.Benchmarks.Support;
using Aria.Metrics.Catalog;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// One tracked request, the ticket's <c>track_request</c>: in-progress up and down, the status counter, the duration
/// and, on failure, the error count. Ours is <see cref="AriaMetrics.TrackRequestAsync{T}(string, Func{Task{T}})"/>;
/// prometheus-net has no such helper, so its side is the async method a user writes for it, the baseline of each
/// category. "Sync" is a call whose task has already completed; "Async" one that completes after the helper has
/// returned, settled on the benchmark's thread so that no thread hop is measured (both sides pay the same
/// <see cref="TaskCompletionSource{TResult}"/>). Figures are per call, over a loop of <see cref="Workload.HotLoop"/>.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class TrackedCallBenchmarks
{
    public const string Sync = "Track.Sync";
    public const string Async = "Track.Async";

    private const int N = Workload.HotLoop;
    private const string Method = "chat";

    private static readonly Task<int> Completed = Task.FromResult(42);

    private AriaMetrics _metrics = null!;
    private Prom.Gauge _peerInProgress = null!;
    private Prom.Counter _peerTotal = null!;
    private Prom.Histogram _peerDuration = null!;
    private Prom.Counter _peerErrors = null!;

    [GlobalSetup]
    public void Setup()
    {
        _metrics = AriaMetrics.For(new MetricRegistry());
        Prom.MetricFactory peer = Prom.Metrics.WithCustomRegistry(Prom.Metrics.NewCustomRegistry());
        _peerInProgress = peer.CreateGauge("aria_requests_in_progress", "In progress.", ["method"]);
        _peerTotal = peer.CreateCounter("aria_requests_total", "Requests.", ["method", "status"]);
        _peerDuration = peer.CreateHistogram(
            "aria_request_duration_seconds", "Duration.", ["method"], new Prom.HistogramConfiguration { Buckets = Workload.RequestBuckets });
        _peerErrors = peer.CreateCounter("aria_errors_total", "Errors.", ["error_type", "component"]);
    }

    [BenchmarkCategory(Sync), Benchmark(OperationsPerInvoke = N)]
    public int Aria_Track_Sync()
    {
        int sum = 0;
        for (int i = 0; i < N; i++)
        {
            sum += _metrics.TrackRequestAsync(Method, static () => Completed).Result;
        }

        return sum;
    }

    [BenchmarkCategory(Sync), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public int PromNet_Track_Sync()
    {
        int sum = 0;
        for (int i = 0; i < N; i++)
        {
            sum += PeerTrackAsync(Method, static () => Completed).Result;
        }

        return sum;
    }

    [BenchmarkCategory(Async), Benchmark(OperationsPerInvoke = N)]
    public int Aria_Track_Async()
    {
        int sum = 0;
        for (int i = 0; i < N; i++)
        {
            var later = new TaskCompletionSource<int>();
            Task<int> tracked = _metrics.TrackRequestAsync(Method, () => later.Task);
            later.SetResult(42);
            sum += tracked.Result;
        }

        return sum;
    }

    [BenchmarkCategory(Async), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public int PromNet_Track_Async()
    {
        int sum = 0;
        for (int i = 0; i < N; i++)
        {
            var later = new TaskCompletionSource<int>();
            Task<int> tracked = PeerTrackAsync(Method, () => later.Task);
            later.SetResult(42);
            sum += tracked.Result;
        }

        return sum;
    }

    /// <summary>The helper a prometheus-net user writes for <c>track_request</c>.</summary>
    private async Task<T> PeerTrackAsync<T>(string method, Func<Task<T>> operation)
    {
        _peerInProgress.WithLabels(method).Inc();
        long started = Stopwatch.GetTimestamp();
        string status = "200";
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            status = "500";
            _peerErrors.WithLabels(exception.GetType().Name, method).Inc();
            throw;
        }
        finally
        {
            _peerTotal.WithLabels(method, status).Inc();
            _peerDuration.WithLabels(method).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            _peerInProgress.WithLabels(method).Dec();
        }
    }
}
