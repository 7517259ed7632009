namespace Aria.Metrics.Exposition;

/// <summary>The Content-Type header values of the exposition formats.</summary>
public static class ContentTypes
{
    /// <summary>Prometheus text format 0.0.4.</summary>
    public const string PrometheusText = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>OpenMetrics 1.0.0 text.</summary>
    public const string OpenMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8";
}
