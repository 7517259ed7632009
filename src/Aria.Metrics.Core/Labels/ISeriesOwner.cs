namespace Aria.Metrics.Labels;

/// <summary>What a series table asks of the family it belongs to.</summary>
internal interface ISeriesOwner<TSeries>
    where TSeries : Series
{
    /// <summary>The most series the family may expose, its overflow series included.</summary>
    int SeriesLimit { get; }

    /// <summary>How long, in <see cref="TimeProvider"/> timestamp units, a series may go unchanged before it expires; 0 for never.</summary>
    long ExpiryTimestamps { get; }

    /// <summary>The current timestamp of the registry's clock.</summary>
    long Now { get; }

    /// <summary>Validates <paramref name="labelValues"/> (throwing, naming the metric) and creates the series.</summary>
    TSeries CreateSeries(ReadOnlySpan<string> labelValues);

    /// <summary>Creates the series that takes the measurements of label sets refused by the limit.</summary>
    TSeries CreateOverflowSeries();

    /// <summary>
    /// A number that changes whenever an update changes the series, read at scrape time to tell a series that was
    /// updated from one that was not without any work on the update path.
    /// </summary>
    long Fingerprint(TSeries series);

    /// <summary>Counts a lookup that the limit sent to the overflow series. Must not allocate after the first call.</summary>
    void OnRefused();
}
