using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Aria.Metrics.Exposition;

namespace Aria.Metrics;

/// <summary>
/// The labels of an exemplar: a reference, usually to a trace, that a counter increment or a histogram observation
/// carries into the exposition (OpenMetrics ` # {trace_id="..."} value timestamp`, protobuf <c>Exemplar</c>), where
/// Grafana shows it as a dot that links to the trace. A ref struct over the caller's strings: building one allocates
/// nothing, and the series copies what it needs.
/// </summary>
/// <remarks>
/// OpenMetrics limits an exemplar's label names and values together to 128 characters (code points); a longer one, a
/// label name outside <c>[a-zA-Z_][a-zA-Z0-9_]*</c>, a null value or a lone surrogate is refused with an
/// <see cref="ArgumentException"/> at the call that records it, naming the metric.
/// </remarks>
public readonly ref struct Exemplar
{
    /// <summary>The most characters (code points) an exemplar's label names and values may hold together.</summary>
    public const int MaxCharacters = 128;

    private const byte KindNone = 0;
    private const byte KindPairs = 1;
    private const byte KindSpan = 2;
    private const byte KindTrace = 3;


    private readonly string? _name1;
    private readonly string? _value1;
    private readonly string? _name2;
    private readonly string? _value2;
    private readonly ReadOnlySpan<KeyValuePair<string, string>> _labels;
    private readonly byte _kind;

    /// <summary>An exemplar with one label.</summary>
    public Exemplar(string name, string value)
    {
        _name1 = name;
        _value1 = value;
        _kind = KindPairs;
    }

    /// <summary>An exemplar with two labels, such as <c>trace_id</c> and <c>span_id</c>.</summary>
    public Exemplar(string name1, string value1, string name2, string value2)
    {
        _name1 = name1;
        _value1 = value1;
        _name2 = name2;
        _value2 = value2;
        _kind = KindPairs;
    }

    /// <summary>An exemplar with any number of labels (at least one).</summary>
    public Exemplar(ReadOnlySpan<KeyValuePair<string, string>> labels)
    {
        _labels = labels;
        _kind = KindSpan;
    }

    // The ids' hex strings are made once per activity and kept by the id structs, so this copies no text.
    private Exemplar(ActivityTraceId traceId, ActivitySpanId spanId)
    {
        _name1 = TraceIdLabel;
        _value1 = traceId.ToHexString();
        _name2 = SpanIdLabel;
        _value2 = spanId.ToHexString();
        _kind = KindTrace;
    }

    /// <summary>No exemplar: recording with it is the same as recording without one.</summary>
    public static Exemplar None => default;

    /// <summary>Whether this is <see cref="None"/>.</summary>
    public bool IsNone => _kind == KindNone;

    /// <summary>An exemplar labelled <c>trace_id</c> and <c>span_id</c> with the W3C hex ids, as OpenTelemetry and Grafana name them.</summary>
    public static Exemplar FromTrace(ActivityTraceId traceId, ActivitySpanId spanId) => new(traceId, spanId);

    /// <summary>The trace and span of <paramref name="activity"/>, or <see cref="None"/> when it is null or has no trace id.</summary>
    public static Exemplar FromActivity(Activity? activity) =>
        activity is null || activity.TraceId == default ? default : new(activity.TraceId, activity.SpanId);

    private const string TraceIdLabel = "trace_id";
    private const string SpanIdLabel = "span_id";

    /// <summary>
    /// The bytes of the encoded labels, after checking them: the count of pairs, then per pair the name's length (one
    /// byte), the name, the value's length (two bytes) and the value, all UTF-8. Zero for <see cref="None"/>.
    /// </summary>
    internal int MeasureAndValidate(string metric)
    {
        switch (_kind)
        {
            case KindTrace:
                // Valid by construction: two fixed names and two hex ids.
                return 1 + (1 + TraceIdLabel.Length + 2 + _value1!.Length) + (1 + SpanIdLabel.Length + 2 + _value2!.Length);
            case KindPairs:
            {
                int characters = 0;
                int bytes = 1 + Measure(metric, _name1, _value1, ref characters);
                if (_name2 is not null || _value2 is not null)
                {
                    bytes += Measure(metric, _name2, _value2, ref characters);
                }

                return bytes;
            }

            case KindSpan:
            {
                if (_labels.IsEmpty || _labels.Length > byte.MaxValue)
                {
                    Errors.InvalidExemplar(metric, $"it has {_labels.Length} labels; give at least one");
                }

                int characters = 0;
                int bytes = 1;
                foreach (KeyValuePair<string, string> label in _labels)
                {
                    bytes += Measure(metric, label.Key, label.Value, ref characters);
                }

                return bytes;
            }

            default:
                return 0;
        }
    }

    /// <summary>Writes the labels measured by <see cref="MeasureAndValidate"/>; <paramref name="destination"/> holds them exactly.</summary>
    internal void Encode(Span<byte> destination)
    {
        if (_kind == KindSpan)
        {
            destination[0] = (byte)_labels.Length;
            destination = destination[1..];
            foreach (KeyValuePair<string, string> label in _labels)
            {
                destination = Put(destination, label.Key, label.Value);
            }

            return;
        }

        bool two = _name2 is not null || _value2 is not null;
        destination[0] = (byte)(two ? 2 : 1);
        destination = Put(destination[1..], _name1!, _value1!);
        if (two)
        {
            Put(destination, _name2!, _value2!);
        }
    }

    private static int Measure(string metric, string? name, string? value, ref int characters)
    {
        if (name is null || !NameRules.IsValidLabelName(name))
        {
            Errors.InvalidExemplar(metric, $"the label name '{name}' does not match [a-zA-Z_][a-zA-Z0-9_]*");
        }

        if (value is null)
        {
            Errors.InvalidExemplar(metric, $"label '{name}' has a null value; use \"\" for an empty value");
        }

        // Trace ids and most values are ASCII: one vectorized check settles well-formedness, characters and bytes.
        if (Ascii.IsValid(value))
        {
            characters += name.Length + value.Length;
            if (characters > MaxCharacters)
            {
                Errors.InvalidExemplar(metric, $"its label names and values hold more than {MaxCharacters} characters, the OpenMetrics limit");
            }

            return 1 + name.Length + 2 + value.Length;
        }

        if (!Escaping.IsWellFormed(value))
        {
            Errors.InvalidExemplar(metric, $"the value of label '{name}' is not well-formed UTF-16 (a lone surrogate)");
        }

        characters += name.Length + CountCodePoints(value);
        if (characters > MaxCharacters)
        {
            Errors.InvalidExemplar(metric, $"its label names and values hold more than {MaxCharacters} characters, the OpenMetrics limit");
        }

        return 1 + name.Length + 2 + Encoding.UTF8.GetByteCount(value);
    }

    private static int CountCodePoints(string value)
    {
        int lowSurrogates = 0;
        foreach (char c in value)
        {
            if (char.IsLowSurrogate(c))
            {
                lowSurrogates++;
            }
        }

        return value.Length - lowSurrogates;
    }

    private static Span<byte> Put(Span<byte> destination, string name, string value)
    {
        destination[0] = (byte)name.Length;
        Ascii.FromUtf16(name, destination[1..], out int nameLength);
        destination = destination[(1 + nameLength)..];
        int valueLength = Ascii.FromUtf16(value, destination[2..], out int asciiLength) == OperationStatus.Done
            ? asciiLength
            : Encoding.UTF8.GetBytes(value, destination[2..]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)valueLength);
        return destination[(2 + valueLength)..];
    }
}
