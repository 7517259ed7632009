using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Aria.Metrics.Server;

/// <summary>
/// Walks the comma-separated elements of a list header such as Accept or Accept-Encoding, across every line of it,
/// and the parameters of each element, without allocating. Quoted strings may hold commas and semicolons.
/// </summary>
internal ref struct HeaderElements
{
    private readonly StringValues _lines;
    private int _nextLine;
    private ReadOnlySpan<char> _rest;

    public HeaderElements(StringValues lines)
    {
        _lines = lines;
        _nextLine = 0;
        _rest = default;
        Current = default;
    }

    /// <summary>The current element, trimmed: a value such as <c>text/plain</c> with its parameters after it.</summary>
    public ReadOnlySpan<char> Current { get; private set; }

    public readonly HeaderElements GetEnumerator() => this;

    public bool MoveNext()
    {
        while (true)
        {
            if (_rest.IsEmpty)
            {
                if (_nextLine >= _lines.Count)
                {
                    return false;
                }

                _rest = _lines[_nextLine++].AsSpan();
            }

            int end = IndexOutsideQuotes(_rest, ',');
            ReadOnlySpan<char> element = (end < 0 ? _rest : _rest[..end]).Trim();
            _rest = end < 0 ? default : _rest[(end + 1)..];
            if (!element.IsEmpty)
            {
                Current = element;
                return true;
            }
        }
    }

    /// <summary>The part of an element before its first parameter, trimmed.</summary>
    public static ReadOnlySpan<char> ValueOf(ReadOnlySpan<char> element)
    {
        int end = IndexOutsideQuotes(element, ';');
        return (end < 0 ? element : element[..end]).Trim();
    }

    /// <summary>
    /// Finds the next <c>name=value</c> parameter of an element: <paramref name="rest"/> starts as the whole element
    /// and is consumed as parameters are read. Quotes around the value are removed.
    /// </summary>
    public static bool NextParameter(scoped ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> name, out ReadOnlySpan<char> value)
    {
        while (true)
        {
            int start = IndexOutsideQuotes(rest, ';');
            if (start < 0)
            {
                name = value = default;
                rest = default;
                return false;
            }

            rest = rest[(start + 1)..];
            int end = IndexOutsideQuotes(rest, ';');
            ReadOnlySpan<char> parameter = (end < 0 ? rest : rest[..end]).Trim();
            int equals = parameter.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            name = parameter[..equals].Trim();
            value = parameter[(equals + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            return true;
        }
    }

    /// <summary>
    /// Reads a quality value (RFC 9110 section 12.4.2): a number from 0 to 1. Anything else is malformed, and the
    /// element carrying it is ignored rather than guessed at.
    /// </summary>
    public static bool TryParseQuality(ReadOnlySpan<char> text, out double quality) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out quality)
        && quality is >= 0 and <= 1;

    private static int IndexOutsideQuotes(ReadOnlySpan<char> text, char separator)
    {
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '\\' && quoted)
            {
                i++;
            }
            else if (c == separator && !quoted)
            {
                return i;
            }
        }

        return -1;
    }
}
