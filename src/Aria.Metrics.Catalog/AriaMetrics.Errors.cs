namespace Aria.Metrics.Catalog;

/// <summary>Errors, across every layer.</summary>
public sealed partial class AriaMetrics
{
    /// <summary>Counts an error in <c>aria_errors_total{error_type, component}</c>, typed by the exception's type name.</summary>
    /// <param name="exception">The error; its type's name (for instance <c>TimeoutException</c>) is the <c>error_type</c> label.</param>
    /// <param name="component">Where it happened: the request method, <c>llm</c>, a layer's name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="component"/> is null or empty.</exception>
    public void RecordError(Exception exception, string component)
    {
        ArgumentNullException.ThrowIfNull(exception);
        RecordError(exception.GetType().Name, component);
    }

    /// <summary>Counts an error in <c>aria_errors_total{error_type, component}</c>.</summary>
    /// <param name="errorType">The kind of error, by convention an exception type name.</param>
    /// <param name="component">Where it happened.</param>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    public void RecordError(string errorType, string component)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorType);
        ArgumentException.ThrowIfNullOrEmpty(component);
        ErrorsTotal.WithLabels(errorType, component).Inc();
    }
}
