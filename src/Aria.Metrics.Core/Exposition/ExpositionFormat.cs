namespace Aria.Metrics.Exposition;

/// <summary>The exposition formats a registry can be written in.</summary>
public enum ExpositionFormat
{
    /// <summary>Prometheus text format 0.0.4: what every Prometheus understands, and the default for plain clients.</summary>
    PrometheusText = 0,

    /// <summary>OpenMetrics 1.0.0 text: what Prometheus 2.x and 3.x ask for first.</summary>
    OpenMetrics = 1,

    /// <summary>
    /// The Prometheus protobuf format: delimited <c>io.prometheus.client.MetricFamily</c> messages. The only format that
    /// carries native histograms; Prometheus asks for it first when it ingests them.
    /// </summary>
    Protobuf = 2,
}
