namespace Aria.Metrics;

/// <summary>What went wrong with an instrument of a meter bridged by <see cref="MetricRegistry.AddMeters"/>.</summary>
public enum MeterProblemKind
{
    /// <summary>
    /// The instrument is not exported: its Prometheus name is taken by a metric the bridge did not add, or by a bridged
    /// instrument of another kind. Counted in <c>metrics_meter_instruments_refused_total{reason="name_taken"}</c>.
    /// </summary>
    NameTaken,

    /// <summary>
    /// The instrument is not exported: no valid metric can be made of it (a name of symbols only, a description that is
    /// not well-formed UTF-16). Counted in <c>metrics_meter_instruments_refused_total{reason="invalid"}</c>.
    /// </summary>
    InvalidDefinition,

    /// <summary>
    /// Measurements carried tags the metric has no label for; they were recorded without them. Counted in
    /// <c>metrics_meter_tags_dropped_total</c>.
    /// </summary>
    TagsDropped,

    /// <summary>
    /// A measurement's value could not be recorded (a negative counter increment, NaN, an infinite observation); it was
    /// dropped. Counted in <c>metrics_meter_measurements_dropped_total{reason="invalid_value"}</c>.
    /// </summary>
    InvalidValue,

    /// <summary>
    /// A measurement's tag value could not be a label value (text that is not well-formed UTF-16); it was dropped.
    /// Counted in <c>metrics_meter_measurements_dropped_total{reason="invalid_tag"}</c>.
    /// </summary>
    InvalidTag,
}
