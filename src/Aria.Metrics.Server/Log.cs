using Microsoft.Extensions.Logging;

namespace Aria.Metrics.Server;

/// <summary>The server's log messages. None is written per scrape: a scrape's cost stays the registry's.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Serving metrics at {Url}")]
    public static partial void Started(ILogger logger, Uri url);

    [LoggerMessage(2, LogLevel.Information, "Stopped serving metrics at {Url}")]
    public static partial void Stopped(ILogger logger, Uri url);

    [LoggerMessage(3, LogLevel.Warning, "A metrics collect callback threw; the scrape went on without it")]
    public static partial void CollectCallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Debug, "A scrape ended early because the client went away")]
    public static partial void ScrapeAborted(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "A metrics collect callback ({Callback}) had not returned by the scrape's deadline, after {Seconds:0.###} s; the scrape went on without it")]
    public static partial void CollectCallbackTimedOut(ILogger logger, CollectCallbackTimeout callback, double seconds);

    [LoggerMessage(6, LogLevel.Error, "Writing the metrics failed; the scrape was answered with 500")]
    public static partial void ScrapeFailed(ILogger logger, Exception exception);

    // Raised once per source and exception type, not once per failure: the count is metrics_instrumentation_errors_total.
    [LoggerMessage(7, LogLevel.Warning, "Instrumentation failed in {Source} and its measurement was lost; the call it measured was not affected. Further failures of this kind are only counted, in metrics_instrumentation_errors_total")]
    public static partial void InstrumentationFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(
        8,
        LogLevel.Warning,
        "Metric {Metric} reached its limit of {Limit} series: measurements with label values it has not seen go to its " +
        "overflow series (metrics_overflow=\"true\"), counted in metrics_series_refused_total. Said once per metric.")]
    public static partial void SeriesLimitReached(ILogger logger, string metric, int limit);

    // Raised once per instrument and kind of problem; every occurrence is counted in the metrics_meter_* counters.
    [LoggerMessage(
        9,
        LogLevel.Warning,
        "Bridged meter {Meter}, instrument {Instrument}: {Kind}: {Detail}. Said once per instrument and kind; counted in " +
        "metrics_meter_instruments_refused_total, metrics_meter_measurements_dropped_total or metrics_meter_tags_dropped_total.")]
    public static partial void MeterProblemFound(ILogger logger, MeterProblemKind kind, string meter, string instrument, string detail);
}
