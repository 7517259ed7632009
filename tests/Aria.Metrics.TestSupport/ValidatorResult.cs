namespace Aria.Metrics.TestSupport;

/// <summary>The outcome of an external validator: its exit code and what it printed.</summary>
public readonly record struct ValidatorResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Exit code 0 and nothing printed: no parse error and no lint problem.</summary>
    public bool IsClean => ExitCode == 0 && Output.Trim().Length == 0;

    /// <summary>Everything the validator printed.</summary>
    public string Output => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}
