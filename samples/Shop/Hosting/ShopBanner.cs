namespace Shop.Hosting;

/// <summary>What the sample prints once it runs: where each service listens, and commands to try.</summary>
internal static class ShopBanner
{
    public static void Print(ShopHost shop, TextWriter output)
    {
        var settings = shop.Settings;
        output.WriteLine($"Shop: {settings.Services.Count} service(s) in this process, registry: {settings.Registry.ToString().ToLowerInvariant()}"
            + (settings.Registry == ShopRegistry.Etcd ? $" at {settings.Etcd}" : string.Empty));
        foreach (var service in settings.Services)
        {
            string speaks = service.ServesHttp ? "HTTP/JSON and Fitten RPC" : "Fitten RPC";
            output.WriteLine($"  {service.Name,-10} {shop.Url(service.Name).GetLeftPart(UriPartial.Authority)}  ({speaks})");
        }

        if (settings.Services.Any(s => s.Name == "gateway"))
        {
            string g = shop.Url("gateway").GetLeftPart(UriPartial.Authority);
            output.WriteLine();
            output.WriteLine("Try:");
            output.WriteLine($"  curl -s {g}/products");
            output.WriteLine($"  curl -s {g}/orders -H 'Content-Type: application/json' -d '{{\"customer\":\"ada\",\"lines\":[{{\"sku\":\"tea-sencha\",\"quantity\":2}}],\"cardNumber\":\"4242-4242-4242-4242\"}}'");
            output.WriteLine($"  curl -s {g}/orders/1");
            output.WriteLine($"  curl -s -X DELETE {g}/orders/1");
            output.WriteLine($"  curl -s {g}/orders -H 'Content-Type: application/json' -d '{{\"customer\":\"bob\",\"lines\":[{{\"sku\":\"mug-stone\",\"quantity\":1}}],\"cardNumber\":\"4000-0000-0000-0002\"}}'   # declined");
            output.WriteLine($"  curl -s {g}/orders -H 'Content-Type: application/json' -d '{{\"customer\":\"eve\",\"lines\":[{{\"sku\":\"kettle-steel\",\"quantity\":9}}],\"cardNumber\":\"4242-4242-4242-4242\"}}'   # out of stock");
            output.WriteLine($"  curl -s {g}/openapi/v1.json");
        }

        output.WriteLine();
        output.WriteLine("Ctrl+C stops (the gateway first).");
    }
}
