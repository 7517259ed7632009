namespace Aria.Metrics.Benchmarks.Tests;

/// <summary>How an allocation gate judges MemoryDiagnoser's figure and the benchmark thread's exact count.</summary>
public sealed class ZeroAllocationGateTests
{
    private static readonly ZeroAllocationGate Gate = new("alloc", new BenchmarkKey(typeof(ZeroAllocationGateTests), "Inc"));

    [Fact]
    public void Zero_bytes_on_the_benchmark_thread_and_in_MemoryDiagnoser_pass()
    {
        GateOutcome outcome = Gate.Judge(reported: 0, exact: 0, operations: 1000);

        Assert.Equal("0 B/op", outcome.Figure);
        Assert.Equal("= 0 B/op", outcome.Limit);
        Assert.Equal("PASS", outcome.Verdict);
    }

    [Fact]
    public void One_small_object_over_all_operations_fails_though_MemoryDiagnoser_rounds_it_to_zero()
    {
        GateOutcome outcome = Gate.Judge(reported: 0, exact: 24, operations: 1000);

        Assert.Equal("FAIL", outcome.Verdict);
        Assert.Equal("0.024 B/op", outcome.Figure);
        Assert.Contains("benchmark thread 24 B over 1000 operations", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void One_byte_over_a_million_operations_prints_as_what_it_is_not_as_zero()
    {
        GateOutcome outcome = Gate.Judge(reported: 0, exact: 1, operations: 1_000_000);

        Assert.Equal("FAIL", outcome.Verdict);
        Assert.Equal("0.000001 B/op", outcome.Figure);
    }

    [Fact]
    public void Bytes_that_MemoryDiagnoser_saw_on_other_threads_do_not_fail_the_gate_and_are_explained()
    {
        GateOutcome outcome = Gate.Judge(reported: 8, exact: 0, operations: 1000);

        Assert.Equal("PASS", outcome.Verdict);
        Assert.Contains("MemoryDiagnoser 8 B/op", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("allocated by other threads", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_on_the_benchmark_thread_fail_whatever_MemoryDiagnoser_says()
    {
        GateOutcome outcome = Gate.Judge(reported: 8, exact: 8000, operations: 1000);

        Assert.Equal("8 B/op", outcome.Figure);
        Assert.Equal("FAIL", outcome.Verdict);
        Assert.DoesNotContain("other threads", outcome.Detail, StringComparison.Ordinal);
    }
}
