namespace Aria.Metrics.Catalog;

/// <summary>System layer: the memory gauges, read at scrape time rather than on a timer.</summary>
public sealed partial class AriaMetrics
{
    private void CollectMemory()
    {
        // The process collector's callback was registered first, so it has read /proc for this scrape already:
        // one read of the resident set per scrape feeds both gauges.
        ProcessMetrics? process = _processMetrics;
        MemoryRssBytes.Set(process is not null ? process.ResidentMemoryBytes.Value : Environment.WorkingSet);

        // The heap as the last collection left it: a figure that stays put between collections, unlike
        // GC.GetTotalMemory, which grows with every allocation since (dotnet_gc_heap_size_bytes reports that one).
        // It reads 0 until the first collection has happened.
        MemoryGcHeapBytes.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
    }
}
