using FsCheck;
using FsCheck.Fluent;

namespace Aria.Metrics.Catalog.Tests.Tracking;

/// <summary>
/// The rule of every helper that wraps a call, over generated calls: value, one exception, several, cancellation with
/// or without an exception of its own; settled synchronously, later, or thrown before a task exists; Task, Task&lt;T&gt;,
/// ValueTask and ValueTask&lt;T&gt;, on a task, a value-task source or nothing at all; valid labels and invalid ones (null,
/// empty, lone surrogates). An invalid label: the call never runs and the caller gets the ArgumentException. A valid
/// one: the caller observes exactly the outcome the operation produced, and the metrics recorded match it.
/// </summary>
public sealed class TrackedHelperProperties
{
    [Fact]
    public void The_caller_gets_exactly_what_the_operation_produced_and_the_metrics_match_it() =>
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(2_000),
            Prop.ForAll(Arb.From(TrackedCase.Any), TrackedCaseCheck.Run));

    public static TheoryData<Helper, Shape, Timing, Outcome, Backing> EveryCombination()
    {
        var data = new TheoryData<Helper, Shape, Timing, Outcome, Backing>();
        foreach ((Helper helper, Shape shape, Timing timing, Outcome outcome, Backing backing) in TrackedCase.Combinations)
        {
            data.Add(helper, shape, timing, outcome, backing);
        }

        return data;
    }

    /// <summary>Every combination once, with a fixed valid label and with a lone surrogate, whatever the generator drew.</summary>
    [Theory]
    [MemberData(nameof(EveryCombination))]
    public void Every_combination_keeps_the_rule(Helper helper, Shape shape, Timing timing, Outcome outcome, Backing backing)
    {
        (Helper, Shape, Timing, Outcome, Backing) combination = (helper, shape, timing, outcome, backing);
        TrackedCaseCheck.Run(TrackedCase.Create(combination, [0, 5, 4], 1, "gpt-4o \"mini\"", labelIsValid: true));
        TrackedCaseCheck.Run(TrackedCase.Create(combination, [3, 1], 0, "gpt\uD800", labelIsValid: false));
    }
}
