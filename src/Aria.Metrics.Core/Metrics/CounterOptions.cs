using System.Diagnostics;

namespace Aria.Metrics;

/// <summary>How a counter family behaves beyond its name, help and labels.</summary>
public sealed class CounterOptions
{
    /// <summary>
    /// When true, an increment that brings no exemplar takes one from <see cref="Activity.Current"/>: its trace and span
    /// ids as <c>trace_id</c> and <c>span_id</c>. Off by default, since it reads the current activity on every increment.
    /// </summary>
    public bool ExemplarsFromActivity { get; init; }
}
