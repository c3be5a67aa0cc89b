using Shop.Contracts;

namespace Shop.Inventory;

/// <summary>The stock inventory starts with. Small on purpose: a few orders are enough to run something out.</summary>
internal static class Catalog
{
    public static IEnumerable<Product> Seed() =>
    [
        new("tea-sencha", "Sencha green tea, 100 g", 7.50m, 25),
        new("mug-stone", "Stoneware mug", 14.00m, 10),
        new("kettle-steel", "Steel kettle", 49.00m, 3),
        // Two of these (1,298.00) go over payments' default card limit (1,000.00): the "declined" path without the test card.
        new("espresso-machine", "Espresso machine", 649.00m, 5),
    ];
}
