using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Aria.Metrics.Catalog;

/// <summary>
/// The argument checks of the catalog's helpers that the framework's own throw helpers do not cover, and the other
/// exceptions the catalog makes.
/// </summary>
internal static class CatalogErrors
{
    /// <summary>The failure of a tracked operation that returned null instead of a task.</summary>
    public static InvalidOperationException NullTask() =>
        new("The tracked operation returned null instead of a task.");

    /// <summary>Throws unless <paramref name="value"/> is a finite number &gt;= 0.</summary>
    public static void ThrowIfNotFiniteNonNegative(double value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        // The comparison is false for NaN as well as for negatives.
        if (!(value >= 0) || double.IsPositiveInfinity(value))
        {
            Throw(paramName, value, "must be a finite number >= 0");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is a finite number.</summary>
    public static void ThrowIfNotFinite(double value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (!double.IsFinite(value))
        {
            Throw(paramName, value, "must be a finite number");
        }
    }

    /// <summary>Throws if <paramref name="duration"/> is negative.</summary>
    public static void ThrowIfNegative(TimeSpan duration, [CallerArgumentExpression(nameof(duration))] string? paramName = null)
    {
        if (duration < TimeSpan.Zero)
        {
            Throw(paramName, duration, "must not be negative");
        }
    }

    /// <summary>Throws unless <paramref name="state"/> is one of the named states.</summary>
    public static void ThrowIfUndefined(CircuitBreakerState state, [CallerArgumentExpression(nameof(state))] string? paramName = null)
    {
        if ((uint)state > (uint)CircuitBreakerState.HalfOpen)
        {
            Throw(paramName, state, "must be Closed (0), Open (1) or HalfOpen (2)");
        }
    }

    /// <summary>Throws unless <paramref name="status"/> is one of the named statuses.</summary>
    public static void ThrowIfUndefined(ExecutionStatus status, [CallerArgumentExpression(nameof(status))] string? paramName = null)
    {
        if ((uint)status > (uint)ExecutionStatus.Error)
        {
            Throw(paramName, status, "must be Success (0) or Error (1)");
        }
    }

    [DoesNotReturn]
    private static void Throw(string? paramName, object value, string rule) =>
        throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} {rule}, not {value}.");
}
