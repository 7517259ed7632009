using Aria.Metrics.Benchmarks;
using BenchmarkDotNet.Running;

if (args.Contains("--gates"))
{
    return Aria.Metrics.Benchmarks.Gates.GateRunner.Run();
}

if (args.Contains("--scaling"))
{
    return Aria.Metrics.Benchmarks.Gates.GateRunner.Run(scalingOnly: true);
}

if (args.Contains(IdleConnectionMemory.ClientSwitch))
{
    return IdleConnectionMemory.Run();
}

if (args.Contains(IdleConnectionMemory.ServerSwitch))
{
    return IdleConnectionMemory.Serve();
}

BenchmarkSwitcher.FromAssembly(typeof(HotPathBenchmarks).Assembly).Run(args, SuiteConfig.Create());
return 0;
