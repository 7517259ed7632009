using System.Runtime.CompilerServices;

namespace Aria.Metrics.Catalog;

/// <summary>
/// .NET runtime metrics under <c>dotnet_</c> names, read at each scrape from the runtime's own counters: collections by
/// generation, heap in use, bytes allocated, thread-pool threads and queue, lock contentions. Works on every system.
/// </summary>
public static class RuntimeMetrics
{
    private static readonly ConditionalWeakTable<MetricRegistry, object> Registered = new();
    private static readonly object Marker = new();

    /// <summary>
    /// Registers the <c>dotnet_*</c> families on <paramref name="registry"/> and a collect callback that refreshes them at
    /// every scrape. Registering twice on the same registry does nothing the second time.
    /// </summary>
    /// <exception cref="InvalidOperationException">One of the names is registered with a different definition.</exception>
    public static void Register(MetricRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ObservedCounter collections = registry.CreateObservedCounter(
            "dotnet_gc_collections_total",
            "Garbage collections of each generation since the process started; collecting a generation also collects every younger one, and counts for it.",
            "generation");
        Gauge heap = registry.CreateGauge(
            "dotnet_gc_heap_size_bytes",
            "Bytes in use on the managed heap now (GC.GetTotalMemory): live objects and garbage not yet collected.");
        ObservedCounter allocated = registry.CreateObservedCounter(
            "dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.");
        Gauge threads = registry.CreateGauge("dotnet_threadpool_threads", "Thread-pool threads that currently exist.");
        Gauge queue = registry.CreateGauge(
            "dotnet_threadpool_queue_length", "Work items queued to the thread pool that have not started yet.");
        ObservedCounter contentions = registry.CreateObservedCounter(
            "dotnet_lock_contentions_total", "Contended lock acquisitions since the process started, as Monitor.LockContentionCount counts them.");

        if (!Registered.TryAdd(registry, Marker))
        {
            return;
        }

        ObservedCounterSeries gen0 = collections.WithLabels("0");
        ObservedCounterSeries gen1 = collections.WithLabels("1");
        ObservedCounterSeries gen2 = collections.WithLabels("2");
        registry.AddCollectCallback(() =>
        {
            gen0.Set(GC.CollectionCount(0));
            gen1.Set(GC.CollectionCount(1));
            gen2.Set(GC.CollectionCount(2));
            heap.Set(GC.GetTotalMemory(forceFullCollection: false));
            allocated.Set(GC.GetTotalAllocatedBytes(precise: false));
            threads.Set(ThreadPool.ThreadCount);
            queue.Set(ThreadPool.PendingWorkItemCount);
            contentions.Set(Monitor.LockContentionCount);
        });
    }
}
