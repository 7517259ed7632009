using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Aria.Metrics.Catalog.Tests.Tracking;

/// <summary>The helpers that wrap a call.</summary>
public enum Helper
{
    Request,
    Llm,
    AgentTask,
    SkillExecution,
    SchedulerRun,
    DbQuery,
}

/// <summary>What the operation returns.</summary>
public enum Shape
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

/// <summary>When the operation's outcome is settled.</summary>
public enum Timing
{
    /// <summary>The operation returns a task that is already complete.</summary>
    Synchronous,

    /// <summary>The operation returns a task that completes later, when the test releases it.</summary>
    Asynchronous,

    /// <summary>The operation throws instead of returning a task.</summary>
    BeforeTask,
}

/// <summary>How the operation ends.</summary>
public enum Outcome
{
    /// <summary>It succeeds, with a result object for the shapes that have one.</summary>
    Value,

    /// <summary>It faults with one exception.</summary>
    OneException,

    /// <summary>It faults with several exceptions, as <see cref="Task.WhenAll(Task[])"/> of failing calls does.</summary>
    SeveralExceptions,

    /// <summary>It throws an <see cref="OperationCanceledException"/>: cancelled, with that exception.</summary>
    CancelledByException,

    /// <summary>It is cancelled by a token, with no exception object of its own (<see cref="Task.FromCanceled(CancellationToken)"/>).</summary>
    CancelledByToken,
}

/// <summary>What stands behind the task the operation returns.</summary>
public enum Backing
{
    /// <summary>A <see cref="Task"/>, for the value-task shapes a value task wrapping one.</summary>
    Task,

    /// <summary>A value task over an <see cref="System.Threading.Tasks.Sources.IValueTaskSource"/>, which may be consumed once.</summary>
    Source,

    /// <summary>No object at all: <c>Task.CompletedTask</c>, <c>default(ValueTask)</c>, a value task holding its result.</summary>
    Inline,
}

/// <summary>One generated call of a tracked helper.</summary>
/// <param name="ExceptionKinds">The exceptions the operation produces, as indices into <see cref="TrackedCase.ExceptionPool"/>.</param>
public sealed record TrackedCase(
    Helper Helper, Shape Shape, Timing Timing, Outcome Outcome, Backing Backing, int[] ExceptionKinds, string? Label, bool LabelIsValid)
{
    /// <summary>
    /// The exceptions an operation may fail with; an <see cref="ArgumentException"/> of the operation's own must come
    /// through like any other, not be taken for the helper refusing its label.
    /// </summary>
    public static readonly Func<string, Exception>[] ExceptionPool =
    [
        message => new InvalidOperationException(message),
        message => new TimeoutException(message),
        message => new IOException(message),
        message => new HttpRequestException(message),
        message => new ArgumentException(message),
        message => new ModelUnavailableException(message),
    ];

    /// <summary>The cancellations an operation may throw.</summary>
    public static readonly Func<CancellationToken, Exception>[] CancellationPool =
    [
        token => new OperationCanceledException("the caller gave up", token),
        token => new TaskCanceledException("the HTTP call timed out", null, token),
    ];

    /// <summary>Every combination that exists: only a task can hold several exceptions or a bare cancellation, and so on.</summary>
    public static IReadOnlyList<(Helper, Shape, Timing, Outcome, Backing)> Combinations { get; } = (
        from helper in Enum.GetValues<Helper>()
        from shape in Enum.GetValues<Shape>()
        from timing in Enum.GetValues<Timing>()
        from outcome in Enum.GetValues<Outcome>()
        from backing in Enum.GetValues<Backing>()
        where Exists(shape, timing, outcome, backing)
        select (helper, shape, timing, outcome, backing)).ToArray();

    /// <summary>Labels the registry takes: well-formed, not empty, with the characters escaping must get right.</summary>
    public static Gen<string> ValidLabel { get; } =
        Gen.NonEmptyListOf(Gen.Frequency(
                (6, Gen.Choose(0x20, 0x7E)),
                (2, Gen.Elements('"', '\\', '\n').Select(c => (int)c)),
                (1, Gen.Choose(0xA0, 0xD7FF)),
                (1, Gen.Choose(0x10000, 0x10FFFF))))
            .Select(codePoints => string.Concat(codePoints.Select(codePoint => new Rune(codePoint).ToString())));

    /// <summary>Labels a helper must refuse before the call: null, empty, or not well-formed UTF-16.</summary>
    public static Gen<string?> InvalidLabel { get; } = Gen.Elements<string?>(
        null, string.Empty, "\uD800", "\uDC00", "gpt-4o\uD83D", "\uDE00chat", "cl\uDBFFaude", "x\uDC00\uD800y");

    /// <summary>Any case: a combination, its exceptions, and a label that is valid three times in four.</summary>
    public static Gen<TrackedCase> Any { get; } =
        from combination in Gen.Elements(Combinations.ToArray())
        from several in Gen.Choose(2, 4)
        from kinds in Gen.ArrayOf(Gen.Choose(0, ExceptionPool.Length - 1), several)
        from cancellation in Gen.Choose(0, CancellationPool.Length - 1)
        from valid in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from label in valid ? ValidLabel.Select(l => (string?)l) : InvalidLabel
        select Create(combination, kinds, cancellation, label, valid);

    /// <summary>A case for one combination, with the given exceptions (the first alone where there is only one).</summary>
    public static TrackedCase Create(
        (Helper Helper, Shape Shape, Timing Timing, Outcome Outcome, Backing Backing) combination,
        int[] kinds,
        int cancellation,
        string? label,
        bool labelIsValid)
    {
        int[] exceptionKinds = combination.Outcome switch
        {
            Outcome.SeveralExceptions => kinds,
            Outcome.OneException => [kinds[0]],
            Outcome.CancelledByException => [cancellation],
            _ => [],
        };
        return new TrackedCase(
            combination.Helper, combination.Shape, combination.Timing, combination.Outcome, combination.Backing, exceptionKinds, label, labelIsValid);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Helper} {Shape} {Timing} {Outcome} on {Backing}, exceptions [{string.Join(", ", ExceptionKinds)}], " +
        $"label {(Label is null ? "null" : $"\"{string.Concat(Label.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}"))}\"")} ({(LabelIsValid ? "valid" : "invalid")})";

    private static bool Exists(Shape shape, Timing timing, Outcome outcome, Backing backing)
    {
        bool valueTask = shape is Shape.ValueTask or Shape.ValueTaskOfT;
        return (timing, backing) switch
        {
            // Thrown before a task exists: one exception, and what stands behind the task does not matter.
            (Timing.BeforeTask, Backing.Task) => outcome is Outcome.OneException or Outcome.CancelledByException,
            (Timing.BeforeTask, _) => false,

            // Nothing behind the task: only a result settled at once.
            (_, Backing.Inline) => timing == Timing.Synchronous && outcome == Outcome.Value,

            // A source hands out one result or one exception.
            (_, Backing.Source) => valueTask && outcome is Outcome.Value or Outcome.OneException or Outcome.CancelledByException,
            _ => true,
        };
    }
}
