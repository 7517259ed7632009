using System.Diagnostics;

namespace Aria.Metrics.Server.Tests.Support;

/// <summary>Bounded waiting: a condition is retried every half second until it holds or the time is up.</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describeFailure)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"Gave up after {timeout.TotalSeconds} s. {describeFailure()}");
            }

            await Task.Delay(500);
        }
    }
}
