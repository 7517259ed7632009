using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Aria.Metrics.TestSupport;

/// <summary>
/// The independent judge of the protobuf format: Debian's copy of client_model's <c>metrics.proto</c>
/// (<c>golang-github-prometheus-client-model-dev</c>), compiled by <c>protoc</c> (<c>protobuf-compiler</c>) into Python
/// bindings at test time and run by the system Python's protobuf runtime (<c>python3-protobuf</c>). It splits the
/// delimited stream, parses every <c>MetricFamily</c> and returns them as JSON (protobuf's own JSON mapping, field names as
/// in the schema). Fields newer than that schema (start timestamps, a native histogram's exemplars) arrive as unknown
/// fields; they are decoded with the schema's own <c>Timestamp</c> and <c>Exemplar</c> messages and added under their
/// current names. Any other unknown field, a truncated message or trailing bytes fail the decode.
/// </summary>
public static class ReferenceProtobuf
{
    /// <summary>Where Debian installs client_model's schema.</summary>
    public const string SchemaRoot = "/usr/share/gocode/src/github.com/prometheus/client_model";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string DecodeScript = """
        import sys, os, json, subprocess, tempfile, importlib.util
        root = sys.argv[1]
        out = tempfile.mkdtemp()
        try:
            subprocess.run(['protoc', '-I' + root, '-I/usr/include', '--python_out=' + out,
                            os.path.join(root, 'io/prometheus/client/metrics.proto')], check=True)
            spec = importlib.util.spec_from_file_location('metrics_pb2', os.path.join(out, 'io/prometheus/client/metrics_pb2.py'))
            pb = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(pb)
        finally:
            subprocess.run(['rm', '-rf', out])
        from google.protobuf import json_format, timestamp_pb2
        from google.protobuf.internal.decoder import _DecodeVarint

        def as_dict(message):
            return json_format.MessageToDict(message, preserving_proto_field_name=True)

        def no_unknown(message, where):
            unknown = [f.field_number for f in message.UnknownFields()]
            if unknown:
                raise SystemExit(f'{where}: fields {unknown} are not in the schema')

        newer = {'counter': {3: 'start_timestamp'}, 'histogram': {15: 'start_timestamp', 16: 'exemplars'}}
        data = sys.stdin.buffer.read()
        position = 0
        families = []
        while position < len(data):
            length, position = _DecodeVarint(data, position)
            if position + length > len(data):
                raise SystemExit(f'truncated: a family of {length} bytes at byte {position}, {len(data) - position} left')
            family = pb.MetricFamily.FromString(data[position:position + length])
            position += length
            no_unknown(family, f'family {family.name}')
            decoded = as_dict(family)
            for metric, metric_dict in zip(family.metric, decoded.get('metric', [])):
                no_unknown(metric, f'a metric of {family.name}')
                for kind, fields in newer.items():
                    if not metric.HasField(kind):
                        continue
                    part = getattr(metric, kind)
                    for bucket in getattr(part, 'bucket', []):
                        no_unknown(bucket, f'a bucket of {family.name}')
                    for field in part.UnknownFields():
                        name = fields.get(field.field_number)
                        if name == 'start_timestamp':
                            stamp = timestamp_pb2.Timestamp.FromString(field.data)
                            metric_dict[kind][name] = {'seconds': stamp.seconds, 'nanos': stamp.nanos}
                        elif name == 'exemplars':
                            metric_dict[kind].setdefault(name, []).append(as_dict(pb.Exemplar.FromString(field.data)))
                        else:
                            raise SystemExit(f'{kind} of {family.name}: field {field.field_number} is not in the schema')
            families.append(decoded)
        json.dump(families, sys.stdout)
        """;

    /// <summary>Whether the reference tools are installed (tests/run.sh installs them).</summary>
    public static bool IsAvailable =>
        File.Exists(Path.Combine(SchemaRoot, "io/prometheus/client/metrics.proto")) && File.Exists("/usr/bin/protoc");

    /// <summary>Decodes a delimited stream with the reference schema; fails the test when it cannot be decoded.</summary>
    /// <returns>The families in stream order, as protobuf's JSON mapping.</returns>
    public static async Task<JsonElement[]> DecodeAsync(ReadOnlyMemory<byte> body)
    {
        Assert.True(IsAvailable, $"The reference schema or protoc is missing ({SchemaRoot}, /usr/bin/protoc): run tests/run.sh, which installs them.");
        var startInfo = new ProcessStartInfo(ExternalValidators.Python, ["-c", DecodeScript, SchemaRoot])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("python3 did not start");
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            Task<string> stderr = process.StandardError.ReadToEndAsync(cts.Token);
            await process.StandardInput.BaseStream.WriteAsync(body, cts.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cts.Token);
            string output = await stdout;
            Assert.True(process.ExitCode == 0, $"The reference schema could not decode the body: exit {process.ExitCode}\n{await stderr}{output}");
            using JsonDocument document = JsonDocument.Parse(output);
            return document.RootElement.EnumerateArray().Select(family => family.Clone()).ToArray();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The protobuf decoder did not finish within {Timeout.TotalSeconds} s");
        }
    }

    /// <summary>The family named <paramref name="name"/>; fails when it is not there exactly once.</summary>
    public static JsonElement Family(IEnumerable<JsonElement> families, string name) =>
        Assert.Single(families, family => family.GetProperty("name").GetString() == name);

    /// <summary>A metric's labels as a dictionary.</summary>
    public static Dictionary<string, string> LabelsOf(JsonElement metric) =>
        metric.TryGetProperty("label", out JsonElement labels)
            ? labels.EnumerateArray().ToDictionary(l => l.GetProperty("name").GetString()!, l => l.TryGetProperty("value", out JsonElement v) ? v.GetString()! : string.Empty)
            : [];

    /// <summary>A double from protobuf's JSON mapping, which writes NaN and the infinities as strings.</summary>
    public static double Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            string text => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture),
            null => throw new FormatException("A null number."),
        },
        _ => throw new FormatException($"Not a number: {value}"),
    };
}
