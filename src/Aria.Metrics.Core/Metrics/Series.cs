using Aria.Metrics.Labels;

namespace Aria.Metrics;

/// <summary>One time series of a family: the family's name with one set of label values.</summary>
public abstract class Series
{
    /// <summary>
    /// The family's name (a string), or a <see cref="SeriesExtras"/> that carries it beside parts that a kind of series
    /// keeps only once it needs them: one word either way. Replaced at most once, from the name to the extras.
    /// </summary>
    private protected object NameOrExtras;

    private protected Series(string metric, string[] key, byte[] labelText)
    {
        NameOrExtras = metric;
        Key = key;
        LabelText = labelText;
    }

    /// <summary>The label values of this series, in the order of the family's label names.</summary>
    public ReadOnlySpan<string> LabelValues => Key;

    /// <summary>The family's name, for error messages.</summary>
    private protected string Metric
    {
        get
        {
            object nameOrExtras = Volatile.Read(ref NameOrExtras);
            return nameOrExtras as string ?? ((SeriesExtras)nameOrExtras).Metric;
        }
    }

    /// <summary>The label values as the interning key; its string instances are the ones the series was created with.</summary>
    internal string[] Key { get; }

    /// <summary>The labels, escaped and UTF-8 encoded, as written between name and value: <c>{a="1"} </c> or a space.</summary>
    internal byte[] LabelText { get; }

    /// <summary>Whether this is its family's overflow series: labelled <c>metrics_overflow="true"</c> alone, without label values.</summary>
    internal bool IsOverflow => ReferenceEquals(LabelText, LabelBlock.Overflow);
}
