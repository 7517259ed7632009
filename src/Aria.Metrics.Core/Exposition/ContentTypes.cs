namespace Aria.Metrics.Exposition;

/// <summary>
/// The Content-Type header values of the exposition formats. Each names exactly one format with its version, as
/// Prometheus 3 requires; the 1.0.0 text formats also name the escaping scheme applied to names
/// (<see cref="WithEscaping"/>), which for this library's names, all within the legacy character set, changes nothing.
/// </summary>
public static class ContentTypes
{
    /// <summary>Prometheus text format 0.0.4.</summary>
    public const string PrometheusText = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Prometheus text format 1.0.0 (0.0.4 that may quote UTF-8 names; the same bytes for legacy names), before its escaping parameter.</summary>
    public const string PrometheusText100 = "text/plain; version=1.0.0; charset=utf-8";

    /// <summary>OpenMetrics 1.0.0 text, before its escaping parameter.</summary>
    public const string OpenMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// <summary>OpenMetrics 0.0.1 text: the same format as 1.0.0, under the version number older clients ask for.</summary>
    public const string OpenMetrics001 = "application/openmetrics-text; version=0.0.1; charset=utf-8";

    /// <summary>The Prometheus protobuf format: length-delimited <c>io.prometheus.client.MetricFamily</c> messages.</summary>
    public const string Protobuf = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    /// <summary>A 1.0.0 text format's Content-Type with the escaping scheme applied: <c>...; escaping=underscores</c>.</summary>
    public static string WithEscaping(string contentType, string scheme) => $"{contentType}; escaping={scheme}";
}
