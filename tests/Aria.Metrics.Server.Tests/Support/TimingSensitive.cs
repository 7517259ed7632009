namespace Aria.Metrics.Server.Tests.Support;

/// <summary>
/// Tests that hold a server to a deadline of about a second, or open thousands of sockets: they run alone, after the
/// others, so that a neighbouring test's load neither slows them nor is slowed by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "Timing-sensitive";
}
