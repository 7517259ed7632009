// Results: see the report of issue 15 until the next full run; how to run them: docs/benchmarks.md.

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
