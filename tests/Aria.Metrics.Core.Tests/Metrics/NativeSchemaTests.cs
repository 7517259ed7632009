using Aria.Metrics.Cells;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Aria.Metrics.Tests.Metrics;

/// <summary>The bucket arithmetic of the standard schemas: every value lands in the bucket whose bounds hold it.</summary>
public sealed class NativeSchemaTests
{
    [Theory]
    [InlineData(1.1, 3)]
    [InlineData(2, 0)]
    [InlineData(4, -1)]
    [InlineData(1.0027, 8)]
    [InlineData(1.00001, 8)]
    [InlineData(65536, -4)]
    [InlineData(1e100, -4)]
    [InlineData(1.5, 1)]
    public void A_bucket_factor_picks_the_schema_client_golang_picks(double factor, int schema) =>
        Assert.Equal(schema, NativeSchema.ForFactor(factor));

    [Theory]
    [InlineData(1.0, 0, 0)]
    [InlineData(2.0, 0, 1)]
    [InlineData(1.5, 0, 1)]
    [InlineData(0.5, 0, -1)]
    [InlineData(0.75, 0, 0)]
    [InlineData(1.0, 3, 0)]
    [InlineData(2.0, 3, 8)]
    [InlineData(1.05, 3, 1)]
    [InlineData(2.0, -1, 1)]
    [InlineData(4.0, -1, 1)]
    [InlineData(4.1, -1, 2)]
    [InlineData(1.0, -4, 0)]
    [InlineData(65536.0, -4, 1)]
    [InlineData(65537.0, -4, 2)]
    public void Powers_of_two_are_upper_bounds_at_every_schema(double value, int schema, int key) =>
        Assert.Equal(key, NativeSchema.KeyOf(value, schema));

    [Property(MaxTest = 2000)]
    public Property Every_positive_value_lies_within_its_bucket_bounds() =>
        Prop.ForAll(
            Gen.Choose(NativeSchema.Min, NativeSchema.Max).ToArbitrary(),
            PositiveDoubles().ToArbitrary(),
            (schema, value) =>
            {
                int key = NativeSchema.KeyOf(value, schema);
                double upper = NativeSchema.UpperBound(key, schema);
                double lower = NativeSchema.UpperBound(key - 1, schema);

                // Among subnormals the bounds themselves round together; only the upper one is exact there.
                bool subnormal = lower < 2.2250738585072014E-308;
                return (value <= upper && (value > lower || subnormal)).Label($"{value} at schema {schema}: key {key}, bounds ({lower}, {upper}]");
            });

    [Property(MaxTest = 1000)]
    public Property Halving_the_resolution_moves_a_bucket_into_the_one_that_covers_it() =>
        Prop.ForAll(
            Gen.Choose(NativeSchema.Min + 1, NativeSchema.Max).ToArbitrary(),
            Gen.Choose(-1000, 1000).ToArbitrary(),
            (schema, exponent) =>
            {
                // Keys whose bounds are powers of two between 2^-1000 and 2^1000, so that both schemas can express them.
                int key = schema >= 0 ? exponent << schema : exponent >> -schema;
                int halved = NativeSchema.Halve(key);
                double upper = NativeSchema.UpperBound(key, schema);
                double lower = NativeSchema.UpperBound(key - 1, schema);
                return (NativeSchema.UpperBound(halved, schema - 1) >= upper && NativeSchema.UpperBound(halved - 1, schema - 1) <= lower)
                    .Label($"key {key} at schema {schema} -> {halved}");
            });

    [Property(MaxTest = 1000)]
    public Property Frexp_splits_a_double_into_a_fraction_in_half_open_half_to_one_and_a_power_of_two() =>
        Prop.ForAll(PositiveDoubles().ToArbitrary(), value =>
        {
            (double fraction, int exponent) = NativeSchema.Frexp(value);
            return (fraction >= 0.5 && fraction < 1 && Math.ScaleB(fraction, exponent) == value).Label($"{value}: {fraction} * 2^{exponent}");
        });

    private static Gen<double> PositiveDoubles() =>
        Gen.Frequency(
            (3, Gen.Choose(1, int.MaxValue).SelectMany(m => Gen.Choose(-60, 60), (m, e) => Math.ScaleB(m / (double)int.MaxValue, e))),
            (1, Gen.Elements(double.Epsilon, 1e-310, double.MaxValue, 1, 2, 0.5, 1e-9, 1e9, Math.Pow(2, 0.125), Math.BitIncrement(1.0), Math.BitDecrement(2.0))),
            (2, Gen.Choose(int.MinValue, int.MaxValue).SelectMany(
                high => Gen.Choose(int.MinValue, int.MaxValue),
                (high, low) => Math.Abs(BitConverter.Int64BitsToDouble(((long)high << 32) | (uint)low))).Where(v => double.IsFinite(v) && v > 0)));
}
