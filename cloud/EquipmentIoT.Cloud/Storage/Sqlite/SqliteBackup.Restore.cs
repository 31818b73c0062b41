using System.IO.Compression;
using System.Security.Cryptography;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

public static partial class SqliteBackup
{
    /// <summary>
    /// Restores a backup into <paramref name="dataDirectory"/> (created when missing) for an instance that is
    /// not running: takes the directory's lock exclusively (refused while an instance or a backup holds it),
    /// refuses a directory holding anything but the lock file unless <paramref name="force"/>, extracts every
    /// file to a temporary name while checking its size and SHA-256 against the manifest (refused, with nothing
    /// replaced, on the first mismatch), then renames each into place after removing that database's stale
    /// -wal/-shm files. Files of the directory that are not in the backup are left alone.
    /// </summary>
    /// <exception cref="BackupException">Refused: see <see cref="BackupException.Refusal"/> and the message.</exception>
    public static async Task<BackupManifest> RestoreAsync(string file, string dataDirectory, bool force, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var directory = Path.GetFullPath(dataDirectory);
        if (!File.Exists(file)) throw new BackupException(BackupRefusal.Malformed, $"{file} does not exist");

        using var zip = OpenZip(file);
        var manifest = ReadManifest(zip);
        using var held = LockOrRefuse(directory, DataDirectoryLockMode.Exclusive);
        var present = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Where(n => n != DataDirectoryLock.FileName).ToList();
        if (present.Count > 0 && !force)
        {
            throw new BackupException(BackupRefusal.NotEmpty,
                $"{directory} is not empty ({string.Join(", ", present.Take(5))}{(present.Count > 5 ? ", …" : "")}); restore with --force to replace its databases");
        }

        var extracted = new List<(string Temporary, string Target)>();
        try
        {
            foreach (var entry in manifest.Files)
            {
                var target = Path.Combine(directory, entry.Name);
                var temporary = target + ".restore-" + Guid.NewGuid().ToString("N")[..8];
                extracted.Add((temporary, target));
                await ExtractCheckedAsync(zip.GetEntry(entry.Name)!, entry, temporary, cancellationToken).ConfigureAwait(false);
            }
            foreach (var (temporary, target) in extracted)
            {
                File.Delete(target + "-wal");
                File.Delete(target + "-shm");
                File.Move(temporary, target, overwrite: true);
            }
            return manifest;
        }
        finally
        {
            foreach (var (temporary, _) in extracted)
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
        }
    }

    private static ZipArchive OpenZip(string file)
    {
        try
        {
            return ZipFile.OpenRead(file);
        }
        catch (InvalidDataException ex)
        {
            throw new BackupException(BackupRefusal.Malformed, $"{file} is not a backup (not a zip file: {ex.Message})", ex);
        }
    }

    /// <summary>The manifest, and a check that the zip holds exactly the files it lists.</summary>
    private static BackupManifest ReadManifest(ZipArchive zip)
    {
        var entry = zip.GetEntry(BackupManifest.EntryName) ?? throw new BackupException(BackupRefusal.Malformed, "the backup has no manifest.json");
        if (entry.Length > 1 << 20) throw new BackupException(BackupRefusal.Malformed, "the backup's manifest.json is larger than 1 MiB");
        using var buffer = new MemoryStream();
        using (var stream = entry.Open()) stream.CopyTo(buffer);
        var manifest = BackupManifest.Parse(buffer.ToArray());
        var listed = manifest.Files.Select(f => f.Name).Append(BackupManifest.EntryName).ToHashSet(StringComparer.Ordinal);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        if (entries.Except(listed).FirstOrDefault() is { } extra)
            throw new BackupException(BackupRefusal.Malformed, $"the backup holds {extra}, which its manifest does not list");
        if (listed.Except(entries).FirstOrDefault() is { } missing)
            throw new BackupException(BackupRefusal.Malformed, $"the backup's manifest lists {missing}, which the backup does not hold");
        return manifest;
    }

    private static async Task ExtractCheckedAsync(ZipArchiveEntry entry, BackupFile expected, string temporary, CancellationToken cancellationToken)
    {
        if (entry.Length != expected.Bytes)
            throw new BackupException(BackupRefusal.Tampered, $"{expected.Name}: {entry.Length:N0} bytes in the backup, {expected.Bytes:N0} in its manifest");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long total = 0;
        try
        {
            await using var source = entry.Open();
            await using var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > expected.Bytes) break;
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
            target.Flush(flushToDisk: true);
        }
        catch (InvalidDataException ex)
        {
            throw new BackupException(BackupRefusal.Tampered, $"{expected.Name}: its compressed data is damaged ({ex.Message})", ex);
        }
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (total != expected.Bytes || actual != expected.Sha256)
        {
            throw new BackupException(BackupRefusal.Tampered,
                $"{expected.Name}: its SHA-256 is {actual}, the manifest says {expected.Sha256}: the backup was altered or damaged; nothing was restored");
        }
    }
}
