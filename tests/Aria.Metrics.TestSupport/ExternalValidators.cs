using System.Diagnostics;
using System.Text;
using Xunit;

namespace Aria.Metrics.TestSupport;

/// <summary>
/// The independent judges of our output, shared by every test project: <c>promtool check metrics</c> for text 0.0.4
/// (parse and lint) and the strict OpenMetrics parser of Python's prometheus_client, both from Debian's packages
/// (<c>prometheus</c>, <c>python3-prometheus-client</c>, installed by <c>tests/run.sh</c>).
/// </summary>
public static class ExternalValidators
{
    /// <summary>The system interpreter: the Debian package installs into it, not into whatever python3 is first on PATH.</summary>
    public const string Python = "/usr/bin/python3";

    private const string Promtool = "promtool";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string ParseOne =
        "import sys\n" +
        "from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse\n" +
        "list(parse(sys.stdin.buffer.read().decode('utf-8')))\n";

    // Several bodies in one interpreter start-up, separated by NUL (which no exposition may contain).
    private const string ParseMany =
        "import sys\n" +
        "from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse\n" +
        "[list(parse(body)) for body in sys.stdin.buffer.read().decode('utf-8').split('\\0')]\n";

    /// <summary>Runs <c>promtool check metrics</c>: exit 0 and no output means valid and lint-clean.</summary>
    public static (int ExitCode, string Output) PromtoolCheckMetrics(string text) => Sync(PromtoolAsync(text));

    /// <summary>Parses with the strict OpenMetrics parser: exit 0 means valid.</summary>
    public static (int ExitCode, string Output) OpenMetricsParse(string text) => Sync(OpenMetricsAsync(text));

    /// <summary>Runs a program with <paramref name="input"/> on standard input, returning its exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) Run(string program, string[] arguments, string input) =>
        Sync(RunAsync(program, arguments, input));

    public static Task<ValidatorResult> OpenMetricsAsync(string body) => RunAsync(Python, ["-c", ParseOne], body);

    public static Task<ValidatorResult> OpenMetricsAsync(IEnumerable<string> bodies) =>
        RunAsync(Python, ["-c", ParseMany], string.Join('\0', bodies));

    public static Task<ValidatorResult> PromtoolAsync(string body) => RunAsync(Promtool, ["check", "metrics"], body);

    public static async Task AssertValidOpenMetricsAsync(string body)
    {
        ValidatorResult result = await OpenMetricsAsync(body);
        Assert.True(result.IsClean, $"The OpenMetrics parser refused the body: {result}\n--- body ---\n{Head(body)}");
    }

    public static async Task AssertValidTextAsync(string body)
    {
        ValidatorResult result = await PromtoolAsync(body);
        Assert.True(result.IsClean, $"promtool check metrics refused the body: {result}\n--- body ---\n{Head(body)}");
    }

    public static Task AssertValidAsync(string body, bool openMetrics) =>
        openMetrics ? AssertValidOpenMetricsAsync(body) : AssertValidTextAsync(body);

    public static async Task<ValidatorResult> RunAsync(string program, string[] arguments, string stdin)
    {
        var startInfo = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{program} did not start");
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            Task<string> stderr = process.StandardError.ReadToEndAsync(cts.Token);
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cts.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cts.Token);
            return new ValidatorResult(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {Timeout.TotalSeconds} s");
        }
    }

    private static (int ExitCode, string Output) Sync(Task<ValidatorResult> run)
    {
        ValidatorResult result = run.GetAwaiter().GetResult();
        return (result.ExitCode, result.Output);
    }

    private static string Head(string body) => body.Length <= 4000 ? body : body[..4000] + "\n...";
}
