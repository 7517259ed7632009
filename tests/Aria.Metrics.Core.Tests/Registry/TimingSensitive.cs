namespace Aria.Metrics.Tests.Registry;

/// <summary>
/// Tests that hold a collection to a deadline of a few hundred milliseconds: they run alone, after the others, so that
/// writer threads spinning in a neighbouring test do not starve the timers they wait on.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "Timing-sensitive";
}
