using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Data;

namespace EquipmentIoT.Protocols.Tests.Dicom;

public sealed class DatasetCodecTests
{
    [Fact]
    public void Write_ImplicitVR_MatchesGoldenBytes()
    {
        // PS3.5 §7.1.3: tag (group, element, LE), 4-byte length, value; CS padded with a space.
        var dataset = new DicomDataset().AddString(DicomTags.Modality, "CT").AddUInt16(DicomTag.FromValue(0x00400300), 12);
        Assert.Equal("08006000020000004354" + "40000003020000000C00", Convert.ToHexString(DatasetWriter.ToArray(dataset, explicitVR: false)));
    }

    [Fact]
    public void Write_ExplicitVR_UsesShortAndLongHeaders()
    {
        // PS3.5 Table 7.1-1/7.1-2: CS has a 2-byte length; UT has 2 reserved bytes and a 4-byte length.
        var dataset = new DicomDataset().AddString(DicomTags.Modality, "MR").AddString(DicomTag.FromValue(0x00091010), DicomVR.UT, "x");
        Assert.Equal("0800600043530200" + "4D52" + "0900101055540000" + "02000000" + "7820",
            Convert.ToHexString(DatasetWriter.ToArray(dataset, explicitVR: true)));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Read_NestedSequences_RoundTripInBothEncodingsAndLengthForms(bool explicitVR, bool definedLengths)
    {
        var dataset = SampleStep(DicomCharacterSet.Utf8, "张^三");
        var bytes = DatasetWriter.ToArray(dataset, explicitVR, definedLengths);
        var read = DatasetReader.Read(bytes, explicitVR);
        Assert.Equal("张^三", read.GetString(DicomTags.PatientName));
        var series = read.GetSequence(DicomTags.PerformedSeriesSequence);
        Assert.Equal(2, series.Count);
        Assert.Equal(3, series[0].GetSequence(DicomTags.ReferencedImageSequence).Count);
        Assert.Equal("1.2.3.4", series[1].GetString(DicomTags.SeriesInstanceUID));
        Assert.Equal("Chest^胸部", read.GetSequence(DicomTags.PerformedProtocolCodeSequence)[0].GetString(DicomTags.CodeMeaning));
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(DatasetWriter.ToArray(read, explicitVR, definedLengths)));
    }

    [Theory]
    [InlineData("GB18030", "D5C55EC8FD", "张^三")]
    [InlineData("ISO_IR 192", "E5BCA05EE4B889", "张^三")]
    [InlineData("ISO_IR 100", "4DFC6C6C65725E4AFC7267656E", "Müller^Jürgen")]
    [InlineData("GB18030", "57616E675E5869616F446F6E673DCDF55ED0A1B6AB", "Wang^XiaoDong=王^小东")]
    public void Read_PersonNameInSpecificCharacterSet_DecodesAndKeepsComponents(string characterSet, string nameHex, string expected)
    {
        var name = Convert.FromHexString(nameHex);
        if ((name.Length & 1) != 0) name = [.. name, 0x20];
        var bytes = new DicomDataset()
            .AddString(DicomTags.SpecificCharacterSet, characterSet)
            .Add(new DicomElement(DicomTags.PatientName, DicomVR.PN, name));
        var read = DatasetReader.Read(DatasetWriter.ToArray(bytes, explicitVR: false), explicitVR: false);
        Assert.Equal(expected, read.GetString(DicomTags.PatientName));
        Assert.True(read.CharacterSet.IsSupported);
    }

    [Fact]
    public void AddString_Gb18030_EncodesWithTheDataSetsCharacterSet()
    {
        var dataset = new DicomDataset().AddString(DicomTags.SpecificCharacterSet, "GB18030").AddString(DicomTags.PatientName, "张^三");
        Assert.Equal("D5C55EC8FD20", Convert.ToHexString(dataset.Find(DicomTags.PatientName)!.Value.Span));
        var utf8 = dataset.Transcode(DicomCharacterSet.Utf8);
        Assert.Equal("E5BCA05EE4B88920", Convert.ToHexString(utf8.Find(DicomTags.PatientName)!.Value.Span));
        Assert.Equal("ISO_IR 192", utf8.GetString(DicomTags.SpecificCharacterSet));
    }

    [Fact]
    public void Read_ItemInheritsParentCharacterSet()
    {
        var dataset = new DicomDataset(DicomCharacterSet.Gb18030).AddString(DicomTags.SpecificCharacterSet, "GB18030");
        var item = new DicomDataset(DicomCharacterSet.Gb18030).AddString(DicomTags.RequestedProcedureDescription, "胸部CT");
        dataset.AddSequence(DicomTags.ScheduledStepAttributesSequence, item);
        var read = DatasetReader.Read(DatasetWriter.ToArray(dataset, explicitVR: true), explicitVR: true);
        Assert.Equal("胸部CT", read.GetSequence(DicomTags.ScheduledStepAttributesSequence)[0].GetString(DicomTags.RequestedProcedureDescription));
    }

    [Fact]
    public void Read_UnknownTagInImplicitVR_ReadsAsUN()
    {
        var bytes = PduCodecTests.Hex("0900 1010 02000000 4142");
        var element = DatasetReader.Read(bytes, explicitVR: false).Find(new DicomTag(0x0009, 0x1010))!;
        Assert.Equal(DicomVR.UN, element.VR);
        Assert.Equal([0x41, 0x42], element.Value.ToArray());
    }

    [Fact]
    public void Read_UnknownLengthUNInExplicitVR_ReadsAsImplicitSequence()
    {
        // PS3.5 §6.2.2: UN with undefined length holds a sequence in Implicit VR Little Endian.
        var bytes = PduCodecTests.Hex("0900 1010 554E 0000 FFFFFFFF" + "FEFF00E0 FFFFFFFF" + "08006000 02000000 4354" + "FEFF0DE0 00000000" + "FEFFDDE0 00000000");
        var element = DatasetReader.Read(bytes, explicitVR: true).Find(new DicomTag(0x0009, 0x1010))!;
        Assert.Equal("CT", Assert.Single(element.Items).GetString(DicomTags.Modality));
    }

    [Theory]
    [InlineData("08006000 03000000 435420", false, "odd value length 3")]
    [InlineData("08006000 10000000 4354", false, "value length 16 exceeds the 2 bytes left")]
    [InlineData("08006000", false, "truncated")]
    [InlineData("08006000 5858 0200 4354", true, "unknown VR")]
    [InlineData("08006000 FFFFFFFF", false, "undefined length on CS")]
    [InlineData("40007002 FFFFFFFF FEFF00E0 FFFFFFFF 08006000 02000000 4354", false, "(FFFE,E00D)")]
    [InlineData("40007002 08000000 08006000 02000000", false, "expected an Item")]
    public void Read_MalformedDataSet_NamesElementAndProblem(string hex, bool explicitVR, string expected)
    {
        var e = Assert.Throws<DicomProtocolException>(() => DatasetReader.Read(PduCodecTests.Hex(hex), explicitVR));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NestingBeyondLimit_Throws()
    {
        var inner = new DicomDataset().AddString(DicomTags.Modality, "CT");
        for (var i = 0; i < 5; i++) inner = new DicomDataset().AddSequence(DicomTags.PerformedSeriesSequence, inner);
        var bytes = DatasetWriter.ToArray(inner, explicitVR: false);
        Assert.NotNull(DatasetReader.Read(bytes, false, new DatasetReadOptions(5, 1000)));
        var e = Assert.Throws<DicomProtocolException>(() => DatasetReader.Read(bytes, false, new DatasetReadOptions(4, 1000)));
        Assert.Contains("nested deeper than 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetNumber_NumericVRs_ReadFirstValue()
    {
        var dataset = new DicomDataset()
            .AddString(DicomDictionary.TagOf("EntranceDoseInmGy"), "12.5\\3")
            .AddUInt16(DicomDictionary.TagOf("TotalTimeOfFluoroscopy"), 90)
            .Add(new DicomElement(DicomDictionary.TagOf("CTDIvol"), DicomVR.FD, BitConverter.GetBytes(7.25)));
        Assert.Equal(12.5, dataset.GetNumber(DicomDictionary.TagOf("EntranceDoseInmGy")));
        Assert.Equal(90, dataset.GetNumber(DicomDictionary.TagOf("TotalTimeOfFluoroscopy")));
        Assert.Equal(7.25, dataset.GetNumber(DicomDictionary.TagOf("CTDIvol")));
    }

    [Fact]
    public void Dictionary_EveryEntry_HasUniqueTagAndKeyword()
    {
        Assert.Equal(DicomDictionary.Entries.Count, DicomDictionary.Entries.Select(e => e.Tag).Distinct().Count());
        Assert.Equal(DicomDictionary.Entries.Count, DicomDictionary.Entries.Select(e => e.Keyword).Distinct().Count());
        Assert.Equal(DicomVR.UL, DicomDictionary.ImplicitVR(new DicomTag(0x0011, 0x0000)));
    }

    internal static DicomDataset SampleStep(DicomCharacterSet characterSet, string patientName)
    {
        var dataset = new DicomDataset(characterSet).AddString(DicomTags.SpecificCharacterSet, characterSet.Term)
            .AddString(DicomTags.PatientName, patientName)
            .AddString(DicomTags.Modality, "CT");
        var images = Enumerable.Range(1, 3).Select(i => new DicomDataset(characterSet)
            .AddString(DicomTags.ReferencedSOPClassUID, "1.2.840.10008.5.1.4.1.1.2")
            .AddString(DicomTags.ReferencedSOPInstanceUID, $"1.2.3.{i}")).ToArray();
        dataset.AddSequence(DicomTags.PerformedSeriesSequence,
            new DicomDataset(characterSet).AddString(DicomTags.SeriesInstanceUID, "1.2.3").AddSequence(DicomTags.ReferencedImageSequence, images),
            new DicomDataset(characterSet).AddString(DicomTags.SeriesInstanceUID, "1.2.3.4").AddSequence(DicomTags.ReferencedImageSequence));
        dataset.AddSequence(DicomTags.PerformedProtocolCodeSequence, new DicomDataset(characterSet)
            .AddString(DicomTags.CodeValue, "P1").AddString(DicomTags.CodingSchemeDesignator, "99X").AddString(DicomTags.CodeMeaning, "Chest^胸部"));
        return dataset;
    }
}
