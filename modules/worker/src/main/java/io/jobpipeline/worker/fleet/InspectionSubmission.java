package io.jobpipeline.worker.fleet;

import io.jobpipeline.core.handler.JobContext;
import io.jobpipeline.core.handler.JobFailure;
import io.jobpipeline.core.handler.JobHandler;
import io.jobpipeline.worker.fleet.VehicleRegistration.Vehicle;
import java.util.List;

/**
 * {@code inspection.submit}: records a pre-trip inspection and decides whether the vehicle may be driven. The vehicle
 * must be registered; until it is, the job fails (retryably: registering it later makes a replay succeed).
 */
public final class InspectionSubmission implements JobHandler<InspectionSubmission.Inspection, InspectionSubmission.Verdict> {
    public record Item(String name, boolean ok, String note) {}

    public record Inspection(String vehicleId, String driverId, long odometerKm, List<Item> items) {}

    public record Verdict(String vehicleId, String plate, boolean mayDrive, List<String> defects) {}

    @Override
    public String type() {
        return "inspection.submit";
    }

    @Override
    public Class<Inspection> payloadType() {
        return Inspection.class;
    }

    @Override
    public Verdict handle(Inspection inspection, JobContext context) throws JobFailure {
        Vehicle vehicle = context.read("vehicle", inspection.vehicleId(), Vehicle.class)
                .orElseThrow(() -> JobFailure.retryable("vehicle " + inspection.vehicleId() + " is not registered"));
        List<String> defects = inspection.items().stream().filter(i -> !i.ok()).map(Item::name).toList();
        Verdict verdict = new Verdict(vehicle.vehicleId(), vehicle.plate(), defects.isEmpty(), defects);
        context.write("inspection", context.jobId().value(), new InspectionRecord(inspection, verdict));
        return verdict;
    }

    record InspectionRecord(Inspection inspection, Verdict verdict) {}
}
