using System.Runtime.CompilerServices;

namespace Aria.Metrics.Catalog;

/// <summary>System layer: the memory gauges, read at scrape time rather than on a timer.</summary>
public sealed partial class AriaMetrics
{
    private static readonly ConditionalWeakTable<MetricRegistry, object> MemoryCollection = new();
    private static readonly object Marker = new();

    private void RegisterMemoryCollection()
    {
        if (MemoryCollection.TryAdd(Registry, Marker))
        {
            Registry.AddCollectCallback(CollectMemory);
        }
    }

    private void CollectMemory()
    {
        if (ProcFs.IsAvailable)
        {
            if (ProcFs.TryReadStat(out ProcessStat stat))
            {
                MemoryRssBytes.Set((double)stat.ResidentPages * Environment.SystemPageSize);
            }
        }
        else
        {
            // Elsewhere the runtime asks the OS for the working set, the same figure (it allocates, but only off Linux).
            MemoryRssBytes.Set(Environment.WorkingSet);
        }

        // The heap as the last collection left it: a figure that stays put between collections, unlike
        // GC.GetTotalMemory, which grows with every allocation since (dotnet_gc_heap_size_bytes reports that one).
        // It reads 0 until the first collection has happened.
        MemoryGcHeapBytes.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
    }
}
