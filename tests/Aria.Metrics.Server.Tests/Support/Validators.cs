using System.Diagnostics;
using System.Text;

namespace Aria.Metrics.Server.Tests.Support;

/// <summary>The outcome of an external validator: its exit code and what it printed.</summary>
internal readonly record struct ValidatorResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Exit code 0 and nothing on stderr: no parse error and no lint problem.</summary>
    public bool IsClean => ExitCode == 0 && Stderr.Trim().Length == 0;

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>
/// The real validators this machine has: Python's strict OpenMetrics parser (Debian's python3-prometheus-client, in
/// the system Python) and <c>promtool check metrics</c> for text 0.0.4 (parse and lint).
/// </summary>
internal static class Validators
{
    private const string Python = "/usr/bin/python3";
    private const string Promtool = "/usr/bin/promtool";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string ParseOne =
        "import sys; from prometheus_client.openmetrics.parser import text_string_to_metric_families as p; list(p(sys.stdin.read()))";

    // Several bodies in one interpreter start-up, separated by NUL (which no exposition may contain).
    private const string ParseMany =
        "import sys; from prometheus_client.openmetrics.parser import text_string_to_metric_families as p; "
        + "[list(p(b)) for b in sys.stdin.read().split('\\0')]";

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

    public static async Task<ValidatorResult> RunAsync(string fileName, string[] arguments, string stdin)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{fileName} did not start");
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
            throw new TimeoutException($"{fileName} did not finish within {Timeout.TotalSeconds} s");
        }
    }

    private static string Head(string body) => body.Length <= 4000 ? body : body[..4000] + "\n...";
}
