using System.Diagnostics;
using System.Text;

namespace Aria.Metrics.Tests.Support;

/// <summary>
/// The independent judges of our output: <c>promtool check metrics</c> for text 0.0.4 and the strict OpenMetrics
/// parser of Python's prometheus_client, both from Debian's packages (<c>prometheus</c>, <c>python3-prometheus-client</c>).
/// </summary>
internal static class ExternalValidators
{
    /// <summary>The system interpreter: the Debian package installs into it, not into whatever python3 is first on PATH.</summary>
    public const string Python = "/usr/bin/python3";

    private const string OpenMetricsCheck =
        "import sys\n" +
        "from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse\n" +
        "list(parse(sys.stdin.buffer.read().decode('utf-8')))\n";

    /// <summary>Runs <c>promtool check metrics</c>: exit 0 and no output means valid and lint-clean.</summary>
    public static (int ExitCode, string Output) PromtoolCheckMetrics(string text) =>
        Run("promtool", ["check", "metrics"], text);

    /// <summary>Parses with the strict OpenMetrics parser: exit 0 means valid.</summary>
    public static (int ExitCode, string Output) OpenMetricsParse(string text) =>
        Run(Python, ["-c", OpenMetricsCheck], text);

    /// <summary>Runs a Python script with <paramref name="input"/> on standard input.</summary>
    public static (int ExitCode, string Output) RunPython(string script, string input) =>
        Run(Python, ["-c", script], input);

    /// <summary>Runs a program with standard input, returning its exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) Run(string program, IEnumerable<string> arguments, string input)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within 60 s.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
