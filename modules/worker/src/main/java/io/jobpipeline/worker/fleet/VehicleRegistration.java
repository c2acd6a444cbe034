package io.jobpipeline.worker.fleet;

import io.jobpipeline.core.handler.JobContext;
import io.jobpipeline.core.handler.JobHandler;

/** {@code vehicle.register}: records a vehicle of the fleet. */
public final class VehicleRegistration implements JobHandler<VehicleRegistration.Vehicle, VehicleRegistration.Vehicle> {
    public record Vehicle(String vehicleId, String plate, String model) {}

    @Override
    public String type() {
        return "vehicle.register";
    }

    @Override
    public Class<Vehicle> payloadType() {
        return Vehicle.class;
    }

    @Override
    public Vehicle handle(Vehicle vehicle, JobContext context) {
        context.write("vehicle", vehicle.vehicleId(), vehicle);
        return vehicle;
    }
}
