using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Aria.Metrics.Benchmarks.Tests;

/// <summary>How the gate runner measures a failed or void gate once more, prints its verdicts and sets the exit code.</summary>
public sealed class GateRunnerTests
{
    private static readonly GateOutcome Pass = new("1.000x", "<= 1.30x", Passed: true, "rounds [1.000]");
    private static readonly GateOutcome Fail = new("1.500x", "<= 1.30x", Passed: false, "rounds [1.500]");
    private static readonly GateOutcome Void = new("void", "<= 1.30x", Passed: true, "only 2 of 5 rounds ran on a quiet host", Void: true);

    /// <summary>
    /// Stands in for BenchmarkDotNet: hands each gate its first outcome in the first run and its second in any later
    /// one, and records which gates every run measured.
    /// </summary>
    private sealed class ScriptedRuns((string Name, GateOutcome First, GateOutcome? Second)[] script)
    {
        public IReadOnlyList<Gate> Gates { get; } =
            [.. script.Select(s => new RatioGate(s.Name, new BenchmarkKey(typeof(ScriptedRuns), "Ours"), new BenchmarkKey(typeof(ScriptedRuns), "Reference"), 1.3, throughput: false))];

        public List<string[]> Runs { get; } = [];

        public Dictionary<Gate, GateOutcome> Measure(IReadOnlyCollection<Gate> gates)
        {
            bool first = Runs.Count == 0;
            Runs.Add([.. gates.Select(g => g.Name)]);
            return gates.ToDictionary(g => g, g =>
            {
                var (_, firstOutcome, secondOutcome) = script.Single(s => s.Name == g.Name);
                return first ? firstOutcome : secondOutcome ?? throw new InvalidOperationException($"gate {g.Name} was measured again");
            });
        }
    }

    private static (Dictionary<Gate, GateOutcome> Outcomes, ScriptedRuns Runs, string Log) Measure(
        params (string Name, GateOutcome First, GateOutcome? Second)[] script)
    {
        var runs = new ScriptedRuns(script);
        var log = new StringWriter();
        Dictionary<Gate, GateOutcome> outcomes = GateRunner.MeasureWithOneRetry(runs.Gates, runs.Measure, log);
        return (outcomes, runs, log.ToString());
    }

    private static (int ExitCode, string Output) Report(params (string Name, GateOutcome Outcome)[] gates)
    {
        var output = new StringWriter();
        int exitCode = GateRunner.Report(gates, Stopwatch.StartNew(), output);
        return (exitCode, output.ToString());
    }

    [Fact]
    public void A_failed_and_a_void_gate_are_measured_once_more_together_and_a_passing_gate_is_not()
    {
        (Dictionary<Gate, GateOutcome> outcomes, ScriptedRuns runs, string log) = Measure(
            ("passes", Pass, null), ("fails first", Fail, Pass), ("void first", Void, Fail));

        string[][] measured = [["passes", "fails first", "void first"], ["fails first", "void first"]];
        GateOutcome[] final = [Pass, Pass, Fail];
        Assert.Equal(measured, runs.Runs);
        Assert.Equal(final, runs.Gates.Select(g => outcomes[g]));
        Assert.Contains("first measurement of gate fails first: 1.500x (limit <= 1.30x) FAIL; re-measuring once", log, StringComparison.Ordinal);
        Assert.Contains("first measurement of gate void first: void (limit <= 1.30x) VOID; re-measuring once", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Gates_that_all_pass_are_measured_once()
    {
        (_, ScriptedRuns runs, string log) = Measure(("a", Pass, null), ("b", Pass, null));

        Assert.Single(runs.Runs);
        Assert.Empty(log);
    }

    [Fact]
    public void No_benchmark_run_is_made_when_there_are_no_gates()
    {
        (Dictionary<Gate, GateOutcome> outcomes, ScriptedRuns runs, _) = Measure();

        Assert.Empty(runs.Runs);
        Assert.Empty(outcomes);
    }

    [Theory]
    [InlineData("fail", "pass", 0)]
    [InlineData("fail", "void", 0)]
    [InlineData("void", "fail", 1)]
    [InlineData("fail", "fail", 1)]
    public void The_run_fails_only_when_a_gates_second_measurement_fails(string first, string second, int exitCode)
    {
        static GateOutcome Of(string verdict) => verdict switch { "pass" => Pass, "void" => Void, _ => Fail };
        (Dictionary<Gate, GateOutcome> outcomes, ScriptedRuns runs, _) = Measure(("other", Pass, null), ("gate", Of(first), Of(second)));

        (int actual, string output) = Report([.. runs.Gates.Select(g => (g.Name, outcomes[g]))]);

        Assert.Equal(exitCode, actual);
        Assert.Equal(exitCode == 1, output.Contains("FAILED gate gate:", StringComparison.Ordinal));
    }

    [Fact]
    public void Passing_and_void_gates_give_exit_code_0()
    {
        Assert.Equal(0, Report(("a", Pass), ("b", Void)).ExitCode);
    }

    [Fact]
    public void The_verdict_lines_are_counted_by_the_patterns_of_ci_run_and_a_void_line_by_neither()
    {
        (Regex passed, Regex failed) = CiPatterns();
        (_, string output) = Report(("one", Pass), ("two", Fail), ("three", Void), ("four", Pass));
        string[] lines = output.Split(Environment.NewLine);

        string[] passLines = ["gate one: 1.000x (limit <= 1.30x) PASS", "gate four: 1.000x (limit <= 1.30x) PASS"];
        string[] failLines = ["gate two: 1.500x (limit <= 1.30x) FAIL"];
        Assert.Equal(passLines, lines.Where(line => passed.IsMatch(line)));
        Assert.Equal(failLines, lines.Where(line => failed.IsMatch(line)));
        Assert.Contains("gate three: void (limit <= 1.30x) VOID", lines);
        Assert.Contains("2 of 4 gates passed, 1 void, in 00:00.", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scaling_gate_whose_goal_line_failed_is_measured_again_and_its_passing_gate_line_keeps_its_pass()
    {
        // The gate line passed the first time: its failure in the re-measurement is its first, and does not fail the run.
        var measurements = new Queue<(GateOutcome, GateOutcome?)>([(Pass, Fail), (Fail, Pass)]);
        var log = new StringWriter();

        (GateOutcome gate, GateOutcome? goal) = GateRunner.MeasureWithOneRetry("scaling", "scaling goal", measurements.Dequeue, log);

        Assert.Empty(measurements);
        Assert.Equal((Pass, Pass), (gate, goal));
        Assert.Contains("first measurement of gate scaling goal: 1.500x (limit <= 1.30x) FAIL; re-measuring once", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("first measurement of gate scaling:", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_scaling_line_that_fails_twice_fails_and_the_other_line_keeps_its_first_pass()
    {
        var measurements = new Queue<(GateOutcome, GateOutcome?)>([(Pass, Fail), (Fail, Fail)]);

        (GateOutcome gate, GateOutcome? goal) = GateRunner.MeasureWithOneRetry("scaling", "scaling goal", measurements.Dequeue, TextWriter.Null);

        Assert.Equal((Pass, Fail), (gate, goal));
    }

    [Fact]
    public void A_void_scaling_line_measured_again_beside_a_failed_one_takes_its_second_outcome()
    {
        var measurements = new Queue<(GateOutcome, GateOutcome?)>([(Fail, Void), (Pass, Fail)]);

        (GateOutcome gate, GateOutcome? goal) = GateRunner.MeasureWithOneRetry("scaling", "scaling goal", measurements.Dequeue, TextWriter.Null);

        Assert.Equal((Pass, Fail), (gate, goal));
    }

    [Fact]
    public void A_failed_scaling_gate_is_measured_again()
    {
        var measurements = new Queue<(GateOutcome, GateOutcome?)>([(Fail, null), (Pass, null)]);

        (GateOutcome gate, _) = GateRunner.MeasureWithOneRetry("scaling", null, measurements.Dequeue, TextWriter.Null);

        Assert.Empty(measurements);
        Assert.Equal(Pass, gate);
    }

    [Fact]
    public void A_passing_or_void_scaling_gate_is_measured_once()
    {
        var measurements = new Queue<(GateOutcome, GateOutcome?)>([(Pass, Void), (Fail, Fail)]);

        (GateOutcome gate, GateOutcome? goal) = GateRunner.MeasureWithOneRetry("scaling", "scaling goal", measurements.Dequeue, TextWriter.Null);

        Assert.Single(measurements);
        Assert.Equal((Pass, Void), (gate, goal));
    }

    /// <summary>The two patterns with which <c>.ci/run</c> counts passed and failed gates, read from the script itself.</summary>
    private static (Regex Passed, Regex Failed) CiPatterns()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Aria.Metrics.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("the repository root is not above the test assembly");
        }

        string script = File.ReadAllText(Path.Combine(root, ".ci", "run"));
        string[] patterns = [.. Regex.Matches(script, @"grep -cE '(\^gate [^']*)'").Select(m => m.Groups[1].Value)];
        Assert.Equal(2, patterns.Length);
        return (new Regex(patterns.Single(p => p.EndsWith("PASS$", StringComparison.Ordinal))),
                new Regex(patterns.Single(p => p.EndsWith("FAIL$", StringComparison.Ordinal))));
    }
}
