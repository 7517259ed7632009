Console.WriteLine("Aria.Metrics demo: under construction");
