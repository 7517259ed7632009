namespace Aria.Metrics.Catalog.Tests.Tracking;

/// <summary>An exception type of the application's own, as an LLM client would define one.</summary>
public sealed class ModelUnavailableException : Exception
{
    public ModelUnavailableException()
    {
    }

    public ModelUnavailableException(string message)
        : base(message)
    {
    }

    public ModelUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
