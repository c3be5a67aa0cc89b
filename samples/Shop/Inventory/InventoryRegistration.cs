using Fitten.AspNetCore.Hosting;
using Shop.Contracts;

namespace Shop.Inventory;

/// <summary>Adds the inventory service to a host.</summary>
public static class InventoryRegistration
{
    /// <summary>Serves <see cref="IInventoryService"/>; inventory calls nobody.</summary>
    public static IFittenBuilder AddInventory(this IFittenBuilder fitten) => fitten.AddService<IInventoryService, InventoryService>();
}
