using System.Text.RegularExpressions;

namespace Aria.Metrics.Server.Tests.Support;

/// <summary>
/// A cheap in-process check that a body is whole: every line a comment or a well-formed sample, the expected number
/// of samples, and the right ending. The external validators run on a sample of bodies; this runs on all of them.
/// </summary>
internal static partial class ExpositionCheck
{
    public static void AssertComplete(string body, bool openMetrics, int expectedSamples)
    {
        Assert.EndsWith(openMetrics ? "\n# EOF\n" : "\n", body, StringComparison.Ordinal);
        int samples = 0;
        foreach (string line in body.AsSpan(0, body.Length - 1).ToString().Split('\n'))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(CommentLine(), line);
                continue;
            }

            Assert.Matches(SampleLine(), line);
            samples++;
        }

        Assert.Equal(expectedSamples, samples);
    }

    /// <summary>The number of sample lines in a body.</summary>
    public static int CountSamples(string body) => body.Split('\n').Count(line => line.Length != 0 && !line.StartsWith('#'));

    [GeneratedRegex("""^# (HELP \S+ .*|TYPE \S+ (counter|gauge|histogram|info|summary|untyped)|EOF)$""")]
    private static partial Regex CommentLine();

    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? \S+$""")]
    private static partial Regex SampleLine();
}
