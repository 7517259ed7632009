using System.Globalization;
using System.Net;

namespace Aria.Metrics.Server;

/// <summary>
/// Where and how a <see cref="MetricsServer"/> serves a registry. The server reads these once, when it starts.
/// Credentials belong in configuration or the environment (for example <c>AriaMetrics__BearerToken</c>), never in code.
/// </summary>
public sealed class MetricsServerOptions
{
    /// <summary>The port served when nothing else is said: the engine's dedicated metrics port.</summary>
    public const int DefaultPort = 8081;

    /// <summary>The environment variable that overrides <see cref="Port"/>.</summary>
    public const string PortEnvironmentVariable = "METRICS_PORT";

    /// <summary>The configuration section that <c>AddAriaMetrics</c> binds these options from.</summary>
    public const string ConfigurationSection = "AriaMetrics";

    /// <summary>The longest <see cref="CollectTimeout"/> accepted.</summary>
    public static readonly TimeSpan MaxCollectTimeout = TimeSpan.FromMinutes(10);

    // Problems found while reading the options from their sources, reported by Validate with the rest.
    private readonly List<string> _sourceErrors = [];

    /// <summary>The TCP port; 0 asks the operating system for a free one (see <see cref="MetricsServer.Port"/>).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// The IP address to listen on: <c>0.0.0.0</c> (the default, so that Prometheus on another host can scrape),
    /// <c>127.0.0.1</c>, <c>::</c> or a single interface's address.
    /// </summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>
    /// The path of the exposition, matched exactly: a plain absolute path such as <c>/metrics</c> (letters, digits and
    /// <c>-._~!$&amp;'()*+,;=:@/</c>; no <c>%</c>, no <c>.</c> or <c>..</c> segment, no empty segment, no query).
    /// <c>/</c> serves a landing page that links to it.
    /// </summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// How long a scrape waits for the collect callbacks before it is served without those that have not returned
    /// (they are counted in <c>metrics_collect_callback_timeouts_total</c> and logged). Below Prometheus' default
    /// scrape timeout of 10 s; a scrape whose <c>X-Prometheus-Scrape-Timeout-Seconds</c> header asks for less waits less.
    /// </summary>
    public TimeSpan CollectTimeout { get; set; } = DefaultCollectTimeout;

    /// <summary><see cref="CollectTimeout"/>'s default, also <c>MapAriaMetrics</c>' when the application has no options.</summary>
    internal static TimeSpan DefaultCollectTimeout { get; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether to gzip the exposition for clients that accept it (Prometheus always does).</summary>
    public bool EnableCompression { get; set; } = true;

    /// <summary>With <see cref="BasicAuthPassword"/>, the credentials a scrape must present with HTTP Basic auth.</summary>
    public string? BasicAuthUsername { get; set; }

    /// <summary>With <see cref="BasicAuthUsername"/>, the credentials a scrape must present with HTTP Basic auth.</summary>
    public string? BasicAuthPassword { get; set; }

    /// <summary>A token that a scrape may present as <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public string? BearerToken { get; set; }

    /// <summary>
    /// The <c>System.Diagnostics.Metrics</c> meters whose instruments the hosted server exposes from its registry
    /// (<see cref="MetricRegistry.AddMeters"/>), for as long as it runs: exact names, or prefixes ending in <c>*</c>, such
    /// as <c>Microsoft.AspNetCore.Hosting</c>, <c>System.Net.Http</c> or <c>Microsoft.AspNetCore.*</c>. Empty by default.
    /// In configuration: <c>AriaMetrics:Meters:0</c>, <c>AriaMetrics:Meters:1</c>, ...
    /// </summary>
    public IList<string> Meters { get; } = [];

    /// <summary>The defaults, with <c>METRICS_PORT</c> from the process environment applied when it is set.</summary>
    public static MetricsServerOptions FromEnvironment()
    {
        var options = new MetricsServerOptions();
        options.ApplyPortVariable(Environment.GetEnvironmentVariable(PortEnvironmentVariable));
        return options;
    }

    /// <summary>
    /// Checks the options and describes every problem found, one sentence each; an empty list means they are valid.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(_sourceErrors);
        if (Port is < 0 or > 65535)
        {
            errors.Add($"Port is {Port}; it must be from 0 (any free port) to 65535. Set it with {PortEnvironmentVariable} or {ConfigurationSection}:Port.");
        }

        if (string.IsNullOrWhiteSpace(BindAddress) || !IPAddress.TryParse(BindAddress, out _))
        {
            errors.Add($"BindAddress is \"{BindAddress}\"; it must be an IP address such as 0.0.0.0, 127.0.0.1 or ::.");
        }

        if (!IsValidPath(Path))
        {
            errors.Add($"Path is \"{Path}\"; it must be a plain absolute path such as /metrics: it starts with '/', names more than the root, " +
                "holds only letters, digits and -._~!$&'()*+,;=:@/ (no '%', spaces, '?' or '#'), and has no empty, '.' or '..' segment.");
        }

        if (CollectTimeout <= TimeSpan.Zero || CollectTimeout > MaxCollectTimeout)
        {
            errors.Add($"CollectTimeout is {CollectTimeout}; it must be more than zero and at most {MaxCollectTimeout}.");
        }

        bool hasUser = !string.IsNullOrEmpty(BasicAuthUsername);
        bool hasPassword = !string.IsNullOrEmpty(BasicAuthPassword);
        if (hasUser != hasPassword)
        {
            errors.Add("BasicAuthUsername and BasicAuthPassword must be set together.");
        }

        if (hasUser && BasicAuthUsername!.Contains(':', StringComparison.Ordinal))
        {
            errors.Add("BasicAuthUsername may not contain ':' (HTTP Basic auth separates the user from the password with it).");
        }

        if (!string.IsNullOrEmpty(BearerToken) && BearerToken.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add("BearerToken may not contain whitespace or control characters.");
        }

        foreach (string? meter in Meters)
        {
            if (string.IsNullOrWhiteSpace(meter) || meter.IndexOf('*', StringComparison.Ordinal) is int star && star >= 0 && star != meter.Length - 1)
            {
                errors.Add($"Meters holds \"{meter}\"; each must be a meter name, or a prefix ending in '*' (such as Microsoft.AspNetCore.*).");
            }
        }

        return errors;
    }

    /// <summary>True when Basic auth or a bearer token is configured.</summary>
    internal bool RequiresAuthorization => !string.IsNullOrEmpty(BasicAuthUsername) || !string.IsNullOrEmpty(BearerToken);

    /// <summary>Applies a <c>METRICS_PORT</c> value; null or blank leaves <see cref="Port"/> alone.</summary>
    internal void ApplyPortVariable(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        if (int.TryParse(value.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535)
        {
            Port = port;
        }
        else
        {
            _sourceErrors.Add($"{PortEnvironmentVariable} is \"{value}\"; it must be a port number from 0 to 65535.");
        }
    }

    /// <summary>Records a problem met while binding the options, so that validation reports it with the others.</summary>
    internal void AddSourceError(string error) => _sourceErrors.Add(error);

    /// <summary>Throws one exception that lists every problem, when there is any.</summary>
    internal void ThrowIfInvalid()
    {
        IReadOnlyList<string> errors = Validate();
        if (errors.Count != 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(
                Microsoft.Extensions.Options.Options.DefaultName, typeof(MetricsServerOptions), errors);
        }
    }

    // Kestrel decodes percent-escapes and removes dot segments before the path is compared, so a path holding either
    // could never be matched; a plain path is compared as the client sends it.
    private static bool IsValidPath(string? path)
    {
        if (path is not { Length: > 1 } || path[0] != '/' || !path.All(IsPathCharacter))
        {
            return false;
        }

        string[] segments = path[1..].Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            bool trailingSlash = i == segments.Length - 1 && i > 0 && segments[i].Length == 0;
            if ((segments[i].Length == 0 && !trailingSlash) || segments[i] is "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    // RFC 3986 pchar and '/', without '%': unreserved, sub-delims, ':' and '@'.
    private static bool IsPathCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=' or ':' or '@' or '/';
}
