namespace Aria.Metrics;

/// <summary>
/// .NET runtime metrics under <c>dotnet_</c> names, read at each scrape from the runtime's own counters: collections by
/// generation, heap in use, bytes allocated, thread-pool threads and queue, lock contentions. Works on every system.
/// Get them with <see cref="MetricRegistry.AddRuntimeMetrics"/>: one instance per registry.
/// </summary>
public sealed class RuntimeMetrics
{
    private readonly ObservedCounterSeries _gen0;
    private readonly ObservedCounterSeries _gen1;
    private readonly ObservedCounterSeries _gen2;

    internal RuntimeMetrics(MetricRegistry registry)
    {
        GcCollections = registry.CreateObservedCounter(
            "dotnet_gc_collections_total",
            "Garbage collections of each generation since the process started; collecting a generation also collects every younger one, and counts for it.",
            "generation");
        GcHeapSizeBytes = registry.CreateGauge(
            "dotnet_gc_heap_size_bytes",
            "Bytes in use on the managed heap now (GC.GetTotalMemory): live objects and garbage not yet collected.");
        GcAllocatedBytes = registry.CreateObservedCounter(
            "dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.");
        ThreadPoolThreads = registry.CreateGauge("dotnet_threadpool_threads", "Thread-pool threads that currently exist.");
        ThreadPoolQueueLength = registry.CreateGauge(
            "dotnet_threadpool_queue_length", "Work items queued to the thread pool that have not started yet.");
        LockContentions = registry.CreateObservedCounter(
            "dotnet_lock_contentions_total", "Contended lock acquisitions since the process started, as Monitor.LockContentionCount counts them.");

        _gen0 = GcCollections.WithLabels("0");
        _gen1 = GcCollections.WithLabels("1");
        _gen2 = GcCollections.WithLabels("2");
        registry.AddCollectCallback(Collect);
    }

    /// <summary><c>dotnet_gc_collections_total{generation}</c>.</summary>
    public ObservedCounter GcCollections { get; }

    /// <summary><c>dotnet_gc_heap_size_bytes</c>: <c>GC.GetTotalMemory(false)</c>.</summary>
    public Gauge GcHeapSizeBytes { get; }

    /// <summary><c>dotnet_gc_allocated_bytes_total</c>.</summary>
    public ObservedCounter GcAllocatedBytes { get; }

    /// <summary><c>dotnet_threadpool_threads</c>.</summary>
    public Gauge ThreadPoolThreads { get; }

    /// <summary><c>dotnet_threadpool_queue_length</c>.</summary>
    public Gauge ThreadPoolQueueLength { get; }

    /// <summary><c>dotnet_lock_contentions_total</c>.</summary>
    public ObservedCounter LockContentions { get; }

    private void Collect()
    {
        // Oldest first: a collection of generation n counts for every younger one too, so reading the older counts
        // before the younger keeps gen0 >= gen1 >= gen2 in every scrape even when a collection runs between the reads.
        _gen2.Set(GC.CollectionCount(2));
        _gen1.Set(GC.CollectionCount(1));
        _gen0.Set(GC.CollectionCount(0));
        GcHeapSizeBytes.Set(GC.GetTotalMemory(forceFullCollection: false));
        GcAllocatedBytes.Set(GC.GetTotalAllocatedBytes(precise: false));
        ThreadPoolThreads.Set(ThreadPool.ThreadCount);
        ThreadPoolQueueLength.Set(ThreadPool.PendingWorkItemCount);
        LockContentions.Set(Monitor.LockContentionCount);
    }
}
