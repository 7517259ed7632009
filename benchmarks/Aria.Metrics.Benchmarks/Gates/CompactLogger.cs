using BenchmarkDotNet.Loggers;

namespace Aria.Metrics.Benchmarks.Gates;

/// <summary>
/// Passes on BenchmarkDotNet's errors and one line per benchmark started, so that a CI log shows progress and
/// failures without the thousands of measurement lines; the full log is still written to the artifacts folder.
/// </summary>
internal sealed class CompactLogger : ILogger
{
    private bool _errorLine;

    public string Id => nameof(CompactLogger);

    public int Priority => 0;

    public void Write(LogKind logKind, string text)
    {
        if (logKind == LogKind.Error)
        {
            Console.Error.Write(text);
            _errorLine = true;
        }
    }

    public void WriteLine()
    {
        if (_errorLine)
        {
            Console.Error.WriteLine();
            _errorLine = false;
        }
    }

    public void WriteLine(LogKind logKind, string text)
    {
        if (logKind == LogKind.Error)
        {
            Console.Error.WriteLine(text);
        }
        else if (text.StartsWith("// Benchmark: ", StringComparison.Ordinal))
        {
            Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {text[3..]}");
        }
    }

    public void Flush() => Console.Out.Flush();
}
