using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteCommands;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Maintenance.Sqlite;

public sealed partial class SqliteMaintenanceStore
{
    private const string CalibrationColumns = """
        id, device, instrument, serial_number, certificate, last_calibrated, due, interval_months, reminder_days, notes, created, created_by,
        updated, updated_by
        """;

    private const string UpdateCalibrationSql = """
        UPDATE calibration_items SET device = $device, instrument = $instrument, serial_number = $serial, certificate = $certificate,
            last_calibrated = $last, due = $due, interval_months = $interval, reminder_days = $days, notes = $notes, updated = $updated,
            updated_by = $updatedBy
        WHERE id = $id AND deleted IS NULL
        """;

    /// <inheritdoc/>
    public async Task<CalibrationItem> AddCalibrationAsync(CalibrationItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = Command(c, null, """
            INSERT INTO calibration_items (device, instrument, serial_number, certificate, last_calibrated, due, interval_months, reminder_days,
                notes, created, created_by)
            VALUES ($device, $instrument, $serial, $certificate, $last, $due, $interval, $days, $notes, $created, $createdBy)
            RETURNING id
            """, CalibrationValues(item));
        insert.Parameters.AddWithValue("$created", Text(item.Created));
        insert.Parameters.AddWithValue("$createdBy", item.CreatedBy);
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return item with { Id = id };
    }

    /// <inheritdoc/>
    public async Task<CalibrationItem?> UpdateCalibrationAsync(CalibrationItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await UpdateCalibrationAsync(c, null, item, cancellationToken).ConfigureAwait(false) ? item : null;
    }

    /// <inheritdoc/>
    public Task<bool> DeleteCalibrationAsync(long id, string actor, Instant at, CancellationToken cancellationToken) =>
        SoftDeleteAsync("calibration_items", id, actor, at, cancellationToken);

    /// <inheritdoc/>
    public async Task<CalibrationItem?> GetCalibrationAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = Command(c, null, $"SELECT {CalibrationColumns} FROM calibration_items WHERE id = $id AND deleted IS NULL", ("$id", id));
        return (await query.ReadAllAsync(ReadCalibration, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CalibrationItem>> ListCalibrationsAsync(string? device, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = Command(c, null,
            $"SELECT {CalibrationColumns} FROM calibration_items WHERE deleted IS NULL AND ($device IS NULL OR device = $device) ORDER BY due, id",
            ("$device", device));
        return await query.ReadAllAsync(ReadCalibration, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> UpdateCalibrationAsync(SqliteConnection c, SqliteTransaction? tx, CalibrationItem item, CancellationToken cancellationToken)
    {
        await using var update = Command(c, tx, UpdateCalibrationSql, CalibrationValues(item));
        update.Parameters.AddWithValue("$id", item.Id);
        update.Parameters.AddWithValue("$updated", Text(item.Updated));
        update.Parameters.AddWithValue("$updatedBy", Nullable(item.UpdatedBy));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static (string, object?)[] CalibrationValues(CalibrationItem i) =>
    [
        ("$device", i.Device), ("$instrument", i.Instrument), ("$serial", i.SerialNumber), ("$certificate", i.Certificate),
        ("$last", Text(i.LastCalibrated)), ("$due", Text((LocalDate?)i.Due)), ("$interval", i.IntervalMonths), ("$days", i.ReminderDays), ("$notes", i.Notes),
    ];

    private static CalibrationItem ReadCalibration(SqliteDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetStringOrNull(3),
        r.GetStringOrNull(4), ReadNullableDate(r, 5), ReadNullableDate(r, 6)!.Value, r.GetInt32(7), r.GetInt32(8), r.GetStringOrNull(9), ReadInstant(r, 10),
        r.GetString(11), ReadNullableInstant(r, 12), r.GetStringOrNull(13));
}
