System.Console.WriteLine("Fitten echo sample: coming with the transport.");
