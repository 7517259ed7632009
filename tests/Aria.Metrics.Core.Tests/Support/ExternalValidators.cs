using System.Diagnostics;
using System.Text;

namespace Aria.Metrics.Tests.Support;

/// <summary>
/// Runs the real validators installed on this machine over an exposition: promtool for text 0.0.4, and Python
/// prometheus_client's strict OpenMetrics parser. Each returns the exit code and everything the tool wrote.
/// </summary>
internal static class ExternalValidators
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    // The Debian package installs into the system Python, which a python3 earlier on PATH may not see.
    private const string SystemPython = "/usr/bin/python3";

    private const string OpenMetricsParserScript =
        "import sys; from prometheus_client.openmetrics.parser import text_string_to_metric_families as p; list(p(sys.stdin.read()))";

    /// <summary><c>promtool check metrics</c>: exit 0 and no output when the exposition is clean.</summary>
    public static (int ExitCode, string Output) PromtoolCheckMetrics(string text) => Run("promtool", ["check", "metrics"], text);

    /// <summary>Parses an OpenMetrics exposition strictly: exit 0 and no output when it is valid.</summary>
    public static (int ExitCode, string Output) OpenMetricsParse(string text) => Run(SystemPython, ["-c", OpenMetricsParserScript], text);

    private static (int ExitCode, string Output) Run(string fileName, string[] arguments, string input)
    {
        var startInfo = new ProcessStartInfo(fileName)
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
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = new StringBuilder();
        var gate = new Lock();
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (gate)
                {
                    output.Append(e.Data).Append('\n');
                }
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // The bytes exactly as given: no BOM, no newline translation.
        process.StandardInput.Write(input);
        process.StandardInput.Close();

        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {Timeout}.");
        }

        // The parameterless wait flushes the asynchronous output readers.
        process.WaitForExit();
        lock (gate)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
