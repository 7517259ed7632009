using System.Runtime.InteropServices;

namespace Aria.Metrics.Benchmarks.Support;

/// <summary>
/// One long with 128 bytes on either side: nothing else can share its cache lines (or the adjacent-line prefetch
/// pair), so an interlocked increment on it is the physical floor for a counter update.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct PaddedCell
{
    [FieldOffset(128)]
    public long Value;
}
