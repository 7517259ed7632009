using System.Diagnostics;

namespace Aria.Metrics.Tests.Registry;

/// <summary>
/// Collecting under a deadline: shared collections, hung callbacks left out, counted and reported, and whole scrapes
/// again once they return. The deadlines are short and every wait is bounded.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class CollectionTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly MetricRegistry _registry = new();
    private readonly BlockingCallback _hung = new();

    public void Dispose() => _hung.Dispose();

    [Fact]
    public async Task CollectAsync_runs_every_callback_and_writing_without_collecting_runs_none()
    {
        Gauge gauge = _registry.CreateGauge("collections", "Collections seen.");
        _registry.AddCollectCallback(() => gauge.Inc());

        Assert.True(await _registry.CollectAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("collections 1\n", WriteWithoutCollecting(), StringComparison.Ordinal);
        Assert.Contains("collections 1\n", WriteWithoutCollecting(), StringComparison.Ordinal);
        Assert.True(await _registry.CollectAsync(Timeout.InfiniteTimeSpan));
        Assert.Contains("collections 2\n", WriteWithoutCollecting(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_without_callbacks_collects_at_once()
    {
        ValueTask<bool> collect = _registry.CollectAsync(TimeSpan.FromSeconds(1));

        Assert.True(collect.IsCompletedSuccessfully);
        Assert.True(await collect);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task A_timeout_that_is_not_positive_is_refused(int milliseconds)
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            async () => await _registry.CollectAsync(TimeSpan.FromMilliseconds(milliseconds)));

        Assert.Equal("timeout", error.ParamName);
        Assert.Contains("positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_scrapes_share_one_collection()
    {
        _registry.AddCollectCallback(_hung.Invoke);

        Task<bool>[] scrapes = [.. Enumerable.Range(0, 20).Select(_ => _registry.CollectAsync(Bound).AsTask())];
        await UntilAsync(() => _registry.ScrapesWaitingForCollection == 20, "20 scrapes waiting for the collection");
        _hung.Release();

        Assert.All(await Task.WhenAll(scrapes), Assert.True);
        Assert.Equal(1, _hung.Calls);
        Assert.Equal(0, _registry.CollectCallbackTimeouts);
    }

    [Fact]
    public async Task A_hung_callback_is_left_out_at_the_deadline_counted_and_reported_while_the_others_run()
    {
        Gauge before = _registry.CreateGauge("before", "Set by the callback registered before the hung one.");
        Gauge after = _registry.CreateGauge("after", "Set by the callback registered after the hung one.");
        var reported = new List<CollectCallbackTimeout>();
        _registry.CollectCallbackTimedOut += (_, timeout) => reported.Add(timeout);
        _registry.AddCollectCallback(() => before.Inc());
        _registry.AddCollectCallback(_hung.Invoke);
        _registry.AddCollectCallback(() => after.Inc());
        Assert.Contains("metrics_collect_callback_timeouts_total 0\n", WriteWithoutCollecting(), StringComparison.Ordinal);

        var watch = Stopwatch.StartNew();
        bool complete = await _registry.CollectAsync(TimeSpan.FromMilliseconds(800));
        TimeSpan took = watch.Elapsed;

        Assert.False(complete);
        Assert.InRange(took, TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(5));

        // The callback after the hung one was handed to another thread once the first had stalled.
        string text = WriteWithoutCollecting();
        Assert.Contains("before 1\n", text, StringComparison.Ordinal);
        Assert.Contains("after 1\n", text, StringComparison.Ordinal);
        Assert.Contains("metrics_collect_callback_timeouts_total 1\n", text, StringComparison.Ordinal);
        Assert.Equal(1, _registry.CollectCallbackTimeouts);
        CollectCallbackTimeout timeout = Assert.Single(reported);
        Assert.Equal(_hung.Invoke, timeout.Callback);
        Assert.InRange(timeout.RunningFor, TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(5));
        Assert.Contains(nameof(BlockingCallback.Invoke), timeout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callbacks_run_off_the_pool_and_those_after_a_hung_one_are_handed_to_another_thread()
    {
        // A hand-off on a pool thread waited for a pool that the hung callback, and whatever else blocks, can starve,
        // and the callbacks after the hung one then missed the deadline (about one run in six of the test above).
        // Starving this process's own pool in a test lost other tests' results (48 to 51 of 51 reported), so this
        // checks where the callbacks ran instead.
        Thread? before = null;
        Thread? after = null;
        _registry.AddCollectCallback(() => before = Thread.CurrentThread);
        _registry.AddCollectCallback(_hung.Invoke);
        _registry.AddCollectCallback(() => after = Thread.CurrentThread);

        Assert.False(await _registry.CollectAsync(TimeSpan.FromMilliseconds(800)));

        Assert.NotNull(before);
        Assert.NotNull(after);
        Assert.False(before.IsThreadPoolThread);
        Assert.False(after.IsThreadPoolThread);
        Assert.Equal("Aria.Metrics collect", before.Name);
        Assert.Equal("Aria.Metrics collect", after.Name);
        Assert.NotEqual(before.ManagedThreadId, after.ManagedThreadId);
    }

    [Fact]
    public async Task Collections_reuse_a_waiting_thread_and_pass_over_one_stuck_in_a_hung_callback()
    {
        // Threads an earlier test left in a callback it has since released go back to waiting at a time of their own.
        await UntilAsync(() => CollectionThreads.BusyCount == 0, "the collection threads of earlier tests to finish");
        var threads = new List<Thread>();
        _registry.AddCollectCallback(() => threads.Add(Thread.CurrentThread));
        for (int i = 0; i < 10; i++)
        {
            Assert.True(await _registry.CollectAsync(Bound));
        }

        Thread reused = Assert.Single(threads.Distinct());
        Assert.False(reused.IsThreadPoolThread);

        // Another registry's callback hangs on the waiting thread; this registry's collections go on, on one more.
        var hungRegistry = new MetricRegistry();
        hungRegistry.AddCollectCallback(_hung.Invoke);
        int startedBefore = CollectionThreads.Started;
        Assert.False(await hungRegistry.CollectAsync(TimeSpan.FromMilliseconds(200)));
        await UntilAsync(() => _hung.Inside == 1, "the callback to hang");
        threads.Clear();
        for (int i = 0; i < 10; i++)
        {
            Assert.True(await _registry.CollectAsync(Bound));
        }

        // One more thread at most: none when an earlier test left a second one waiting.
        Thread other = Assert.Single(threads.Distinct());
        Assert.NotEqual(reused.ManagedThreadId, other.ManagedThreadId);
        int startedAfter = CollectionThreads.Started;
        Assert.InRange(startedAfter - startedBefore, 0, 1);

        // Once the callback returns, its thread waits for work again: no thread is started for the next collections.
        _hung.Release();
        await UntilAsync(() => CollectionThreads.WaitingCount >= 2, "the released thread to wait for work again");
        Assert.True(await hungRegistry.CollectAsync(Bound));
        Assert.True(await _registry.CollectAsync(Bound));
        Assert.Equal(startedAfter, CollectionThreads.Started);
    }

    [Fact]
    public async Task Threads_left_waiting_end_after_their_idle_lifetime_but_the_last_one()
    {
        TimeSpan lifetime = CollectionThreads.IdleLifetime;
        var hung = new List<BlockingCallback>();
        try
        {
            // Three callbacks hung at once hold three threads; released, the three wait for work, then end but one.
            CollectionThreads.IdleLifetime = TimeSpan.FromMilliseconds(100);
            for (int i = 0; i < 3; i++)
            {
                var callback = new BlockingCallback();
                hung.Add(callback);
                var registry = new MetricRegistry();
                registry.AddCollectCallback(callback.Invoke);
                Assert.False(await registry.CollectAsync(TimeSpan.FromMilliseconds(50)));
            }

            await UntilAsync(() => hung.All(h => h.Inside == 1), "three callbacks to hang on three threads");
            hung.ForEach(h => h.Release());
            await UntilAsync(() => CollectionThreads.WaitingCount == 1, "the threads left waiting to end but one");
            await Task.Delay(300);
            Assert.Equal(1, CollectionThreads.WaitingCount);
        }
        finally
        {
            CollectionThreads.IdleLifetime = lifetime;
            hung.ForEach(h => h.Dispose());
        }
    }

    [Fact]
    public async Task A_callback_still_hung_holds_one_thread_however_many_scrapes_arrive_and_they_end_at_once()
    {
        Gauge other = _registry.CreateGauge("other", "Set by a callback that returns.");
        _registry.AddCollectCallback(_hung.Invoke);
        _registry.AddCollectCallback(() => other.Inc());
        Assert.False(await _registry.CollectAsync(TimeSpan.FromMilliseconds(300)));

        // Every later scrape gets a collection that leaves the hung callback out at once and runs the other one.
        var watch = Stopwatch.StartNew();
        bool[] outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => _registry.CollectAsync(TimeSpan.FromSeconds(10)).AsTask()));
        TimeSpan took = watch.Elapsed;

        Assert.All(outcomes, Assert.False);
        Assert.True(took < TimeSpan.FromSeconds(5), $"40 scrapes took {took}: they waited for the hung callback");
        Assert.Equal(1, _hung.Calls);
        Assert.Equal(1, _hung.MostInside);
        Assert.InRange(other.Value, 2, 41);
        Assert.InRange(_registry.CollectCallbackTimeouts, 2, 41);
    }

    [Fact]
    public async Task Scrapes_are_whole_again_once_the_hung_callback_returns()
    {
        _registry.AddCollectCallback(_hung.Invoke);
        Assert.False(await _registry.CollectAsync(TimeSpan.FromMilliseconds(300)));
        Assert.False(await _registry.CollectAsync(TimeSpan.FromMilliseconds(300)));
        long timeouts = _registry.CollectCallbackTimeouts;

        _hung.Release();
        await UntilAsync(() => _hung.Inside == 0, "the hung callback to return");

        Assert.True(await _registry.CollectAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await _registry.CollectAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(3, _hung.Calls);
        Assert.Equal(timeouts, _registry.CollectCallbackTimeouts);
    }

    [Fact]
    public async Task A_scrape_that_outlives_the_shared_collection_gets_a_fresh_one_without_the_hung_callback()
    {
        Gauge other = _registry.CreateGauge("other", "Set by a callback that returns.");
        _registry.AddCollectCallback(_hung.Invoke);
        _registry.AddCollectCallback(() => other.Inc());

        // The first scrape's deadline ends the shared collection; the second, which joined it, has a later one.
        Task<bool> first = _registry.CollectAsync(TimeSpan.FromMilliseconds(400)).AsTask();
        await UntilAsync(() => _hung.Inside == 1, "the collection to reach the hung callback");
        var watch = Stopwatch.StartNew();
        Task<bool> second = _registry.CollectAsync(TimeSpan.FromSeconds(10)).AsTask();

        Assert.False(await first);
        Assert.False(await second);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"The second scrape took {watch.Elapsed}");
        Assert.Equal(1, _hung.Calls);
    }

    [Fact]
    public async Task Cancelling_stops_the_wait_and_not_the_collection()
    {
        _registry.AddCollectCallback(_hung.Invoke);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _registry.CollectAsync(TimeSpan.FromSeconds(10), cancel.Token));
        Task<bool> joined = _registry.CollectAsync(TimeSpan.FromSeconds(10)).AsTask();
        _hung.Release();

        Assert.True(await joined);
        Assert.Equal(1, _hung.Calls);
    }

    [Fact]
    public async Task Write_runs_a_callback_on_one_thread_at_a_time()
    {
        int inside = 0;
        int mostInside = 0;
        _registry.AddCollectCallback(() =>
        {
            int now = Interlocked.Increment(ref inside);
            InterlockedMax(ref mostInside, now);
            Thread.Sleep(20);
            Interlocked.Decrement(ref inside);
        });

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 5; i++)
            {
                Render.Text(_registry);
            }
        })));

        Assert.Equal(1, mostInside);
    }

    private static void InterlockedMax(ref int location, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref location)) && Interlocked.CompareExchange(ref location, value, current) != current)
        {
        }
    }

    private string WriteWithoutCollecting()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        _registry.WriteWithoutCollecting(buffer, Aria.Metrics.Exposition.ExpositionFormat.PrometheusText);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < Bound, $"Gave up waiting for {what}.");
            await Task.Delay(10);
        }
    }
}
