Console.WriteLine("bench: see README");
