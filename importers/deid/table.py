"""PS3.15 Annex E Table E.1-1, Basic Application Level Confidentiality Profile column, as data.

One row per attribute: (keyword, attribute name, action). Rows are ordered by tag so a
reviewer can compare them with the standard's table side by side; keywords are pydicom's,
so `tests/importers/test_deid_profile.py` proves every row names a real attribute.
Repeating groups (curves 50xx, overlays 60xx) cannot be keywords and live in `profile.py`.

Action codes (PS3.15 E.1.1): D dummy, Z zero-length, X remove, K keep, C clean,
U replace UID; combined codes (Z/D, X/Z, X/D, X/Z/D, X/Z/U*) are resolved in `profile.py`.
This module is long on purpose: it is the table, and nothing else.
"""

from __future__ import annotations

ROWS: tuple[tuple[str, str, str], ...] = (
    ("AffectedSOPInstanceUID", "Affected SOP Instance UID", "X"),  # (0000,1000)
    ("RequestedSOPInstanceUID", "Requested SOP Instance UID", "U"),  # (0000,1001)
    ("MediaStorageSOPInstanceUID", "Media Storage SOP Instance UID", "U"),  # (0002,0003)
    ("ReferencedSOPInstanceUIDInFile", "Referenced SOP Instance UID in File", "U"),  # (0004,1511)
    ("InstanceCreationDate", "Instance Creation Date", "X/D"),  # (0008,0012)
    ("InstanceCreationTime", "Instance Creation Time", "X/Z/D"),  # (0008,0013)
    ("InstanceCreatorUID", "Instance Creator UID", "U"),  # (0008,0014)
    ("InstanceCoercionDateTime", "Instance Coercion DateTime", "X"),  # (0008,0015)
    ("AcquisitionUID", "Acquisition UID", "U"),  # (0008,0017)
    ("SOPInstanceUID", "SOP Instance UID", "U"),  # (0008,0018)
    ("PyramidUID", "Pyramid UID", "U"),  # (0008,0019)
    ("StudyDate", "Study Date", "Z"),  # (0008,0020)
    ("SeriesDate", "Series Date", "X/D"),  # (0008,0021)
    ("AcquisitionDate", "Acquisition Date", "X/Z"),  # (0008,0022)
    ("ContentDate", "Content Date", "Z/D"),  # (0008,0023)
    ("OverlayDate", "Overlay Date", "X"),  # (0008,0024)
    ("CurveDate", "Curve Date", "X"),  # (0008,0025)
    ("AcquisitionDateTime", "Acquisition DateTime", "X/Z/D"),  # (0008,002A)
    ("StudyTime", "Study Time", "Z"),  # (0008,0030)
    ("SeriesTime", "Series Time", "X/D"),  # (0008,0031)
    ("AcquisitionTime", "Acquisition Time", "X/Z"),  # (0008,0032)
    ("ContentTime", "Content Time", "Z/D"),  # (0008,0033)
    ("OverlayTime", "Overlay Time", "X"),  # (0008,0034)
    ("CurveTime", "Curve Time", "X"),  # (0008,0035)
    ("AccessionNumber", "Accession Number", "Z"),  # (0008,0050)
    ("IssuerOfAccessionNumberSequence", "Issuer of Accession Number Sequence", "X"),  # (0008,0051)
    ("RetrieveAETitle", "Retrieve AE Title", "X"),  # (0008,0054)
    ("StationAETitle", "Station AE Title", "X"),  # (0008,0055)
    ("FailedSOPInstanceUIDList", "Failed SOP Instance UID List", "U"),  # (0008,0058)
    ("InstitutionName", "Institution Name", "X/Z/D"),  # (0008,0080)
    ("InstitutionAddress", "Institution Address", "X"),  # (0008,0081)
    ("InstitutionCodeSequence", "Institution Code Sequence", "X/Z/D"),  # (0008,0082)
    ("ReferringPhysicianName", "Referring Physician's Name", "Z"),  # (0008,0090)
    ("ReferringPhysicianAddress", "Referring Physician's Address", "X"),  # (0008,0092)
    ("ReferringPhysicianTelephoneNumbers", "Referring Physician's Telephone Numbers", "X"),  # (0008,0094)
    (
        "ReferringPhysicianIdentificationSequence",
        "Referring Physician Identification Sequence",
        "X",
    ),  # (0008,0096)
    ("ConsultingPhysicianName", "Consulting Physician's Name", "Z"),  # (0008,009C)
    (
        "ConsultingPhysicianIdentificationSequence",
        "Consulting Physician Identification Sequence",
        "X",
    ),  # (0008,009D)
    ("ContextGroupVersion", "Context Group Version", "D"),  # (0008,0106)
    ("ContextGroupLocalVersion", "Context Group Local Version", "D"),  # (0008,0107)
    ("TimezoneOffsetFromUTC", "Timezone Offset From UTC", "X"),  # (0008,0201)
    ("NetworkID", "Network ID", "X"),  # (0008,1000)
    ("StationName", "Station Name", "X/Z/D"),  # (0008,1010)
    ("StudyDescription", "Study Description", "X"),  # (0008,1030)
    ("SeriesDescription", "Series Description", "X"),  # (0008,103E)
    ("InstitutionalDepartmentName", "Institutional Department Name", "X"),  # (0008,1040)
    (
        "InstitutionalDepartmentTypeCodeSequence",
        "Institutional Department Type Code Sequence",
        "X",
    ),  # (0008,1041)
    ("PhysiciansOfRecord", "Physician(s) of Record", "X"),  # (0008,1048)
    (
        "PhysiciansOfRecordIdentificationSequence",
        "Physician(s) of Record Identification Sequence",
        "X",
    ),  # (0008,1049)
    ("PerformingPhysicianName", "Performing Physician's Name", "X"),  # (0008,1050)
    (
        "PerformingPhysicianIdentificationSequence",
        "Performing Physician Identification Sequence",
        "X",
    ),  # (0008,1052)
    ("NameOfPhysiciansReadingStudy", "Name of Physician(s) Reading Study", "X"),  # (0008,1060)
    (
        "PhysiciansReadingStudyIdentificationSequence",
        "Physician(s) Reading Study Identification Sequence",
        "X",
    ),  # (0008,1062)
    ("OperatorsName", "Operators' Name", "X/Z/D"),  # (0008,1070)
    ("OperatorIdentificationSequence", "Operator Identification Sequence", "X/D"),  # (0008,1072)
    ("AdmittingDiagnosesDescription", "Admitting Diagnoses Description", "X"),  # (0008,1080)
    ("AdmittingDiagnosesCodeSequence", "Admitting Diagnoses Code Sequence", "X"),  # (0008,1084)
    ("PyramidDescription", "Pyramid Description", "X"),  # (0008,1088)
    ("ReferencedStudySequence", "Referenced Study Sequence", "X/Z"),  # (0008,1110)
    (
        "ReferencedPerformedProcedureStepSequence",
        "Referenced Performed Procedure Step Sequence",
        "X/Z/D",
    ),  # (0008,1111)
    ("ReferencedPatientSequence", "Referenced Patient Sequence", "X"),  # (0008,1120)
    ("ReferencedImageSequence", "Referenced Image Sequence", "X/Z/U*"),  # (0008,1140)
    ("ReferencedSOPInstanceUID", "Referenced SOP Instance UID", "U"),  # (0008,1155)
    ("TransactionUID", "Transaction UID", "U"),  # (0008,1195)
    ("DerivationDescription", "Derivation Description", "X"),  # (0008,2111)
    ("SourceImageSequence", "Source Image Sequence", "X/Z/U*"),  # (0008,2112)
    ("IrradiationEventUID", "Irradiation Event UID", "U"),  # (0008,3010)
    ("IdentifyingComments", "Identifying Comments", "X"),  # (0008,4000)
    ("PatientName", "Patient's Name", "Z"),  # (0010,0010)
    ("PatientID", "Patient ID", "Z/D"),  # (0010,0020)
    ("IssuerOfPatientID", "Issuer of Patient ID", "X"),  # (0010,0021)
    ("PatientBirthDate", "Patient's Birth Date", "Z"),  # (0010,0030)
    ("PatientBirthTime", "Patient's Birth Time", "X"),  # (0010,0032)
    (
        "PatientBirthDateInAlternativeCalendar",
        "Patient's Birth Date in Alternative Calendar",
        "X",
    ),  # (0010,0033)
    (
        "PatientDeathDateInAlternativeCalendar",
        "Patient's Death Date in Alternative Calendar",
        "X",
    ),  # (0010,0034)
    ("PatientAlternativeCalendar", "Patient's Alternative Calendar", "X"),  # (0010,0035)
    ("PatientSex", "Patient's Sex", "Z"),  # (0010,0040)
    ("PatientInsurancePlanCodeSequence", "Patient's Insurance Plan Code Sequence", "X"),  # (0010,0050)
    ("PatientPrimaryLanguageCodeSequence", "Patient's Primary Language Code Sequence", "X"),  # (0010,0101)
    (
        "PatientPrimaryLanguageModifierCodeSequence",
        "Patient's Primary Language Modifier Code Sequence",
        "X",
    ),  # (0010,0102)
    ("OtherPatientIDs", "Other Patient IDs", "X"),  # (0010,1000)
    ("OtherPatientNames", "Other Patient Names", "X"),  # (0010,1001)
    ("OtherPatientIDsSequence", "Other Patient IDs Sequence", "X"),  # (0010,1002)
    ("PatientBirthName", "Patient's Birth Name", "X"),  # (0010,1005)
    ("PatientAge", "Patient's Age", "X"),  # (0010,1010)
    ("PatientSize", "Patient's Size", "X"),  # (0010,1020)
    ("PatientWeight", "Patient's Weight", "X"),  # (0010,1030)
    ("PatientAddress", "Patient's Address", "X"),  # (0010,1040)
    ("InsurancePlanIdentification", "Insurance Plan Identification", "X"),  # (0010,1050)
    ("PatientMotherBirthName", "Patient's Mother's Birth Name", "X"),  # (0010,1060)
    ("MilitaryRank", "Military Rank", "X"),  # (0010,1080)
    ("BranchOfService", "Branch of Service", "X"),  # (0010,1081)
    ("MedicalRecordLocator", "Medical Record Locator", "X"),  # (0010,1090)
    ("ReferencedPatientPhotoSequence", "Referenced Patient Photo Sequence", "X"),  # (0010,1100)
    ("MedicalAlerts", "Medical Alerts", "X"),  # (0010,2000)
    ("Allergies", "Allergies", "X"),  # (0010,2110)
    ("CountryOfResidence", "Country of Residence", "X"),  # (0010,2150)
    ("RegionOfResidence", "Region of Residence", "X"),  # (0010,2152)
    ("PatientTelephoneNumbers", "Patient's Telephone Numbers", "X"),  # (0010,2154)
    ("PatientTelecomInformation", "Patient's Telecom Information", "X"),  # (0010,2155)
    ("EthnicGroup", "Ethnic Group", "X"),  # (0010,2160)
    ("Occupation", "Occupation", "X"),  # (0010,2180)
    ("SmokingStatus", "Smoking Status", "X"),  # (0010,21A0)
    ("AdditionalPatientHistory", "Additional Patient History", "X"),  # (0010,21B0)
    ("PregnancyStatus", "Pregnancy Status", "X"),  # (0010,21C0)
    ("LastMenstrualDate", "Last Menstrual Date", "X"),  # (0010,21D0)
    ("PatientReligiousPreference", "Patient's Religious Preference", "X"),  # (0010,21F0)
    ("PatientSexNeutered", "Patient's Sex Neutered", "X/Z"),  # (0010,2203)
    ("ResponsiblePerson", "Responsible Person", "X"),  # (0010,2297)
    ("ResponsibleOrganization", "Responsible Organization", "X"),  # (0010,2299)
    ("PatientComments", "Patient Comments", "X"),  # (0010,4000)
    ("ClinicalTrialSponsorName", "Clinical Trial Sponsor Name", "D"),  # (0012,0010)
    ("ClinicalTrialProtocolID", "Clinical Trial Protocol ID", "D"),  # (0012,0020)
    ("ClinicalTrialProtocolName", "Clinical Trial Protocol Name", "Z"),  # (0012,0021)
    ("IssuerOfClinicalTrialProtocolID", "Issuer of Clinical Trial Protocol ID", "X"),  # (0012,0022)
    (
        "OtherClinicalTrialProtocolIDsSequence",
        "Other Clinical Trial Protocol IDs Sequence",
        "X",
    ),  # (0012,0023)
    ("ClinicalTrialSiteID", "Clinical Trial Site ID", "Z"),  # (0012,0030)
    ("ClinicalTrialSiteName", "Clinical Trial Site Name", "Z"),  # (0012,0031)
    ("IssuerOfClinicalTrialSiteID", "Issuer of Clinical Trial Site ID", "X"),  # (0012,0032)
    ("ClinicalTrialSubjectID", "Clinical Trial Subject ID", "D"),  # (0012,0040)
    ("IssuerOfClinicalTrialSubjectID", "Issuer of Clinical Trial Subject ID", "X"),  # (0012,0041)
    ("ClinicalTrialSubjectReadingID", "Clinical Trial Subject Reading ID", "D"),  # (0012,0042)
    (
        "IssuerOfClinicalTrialSubjectReadingID",
        "Issuer of Clinical Trial Subject Reading ID",
        "X",
    ),  # (0012,0043)
    ("ClinicalTrialTimePointID", "Clinical Trial Time Point ID", "Z"),  # (0012,0050)
    ("ClinicalTrialTimePointDescription", "Clinical Trial Time Point Description", "X"),  # (0012,0051)
    ("IssuerOfClinicalTrialTimePointID", "Issuer of Clinical Trial Time Point ID", "X"),  # (0012,0055)
    ("ClinicalTrialCoordinatingCenterName", "Clinical Trial Coordinating Center Name", "Z"),  # (0012,0060)
    ("ClinicalTrialSeriesID", "Clinical Trial Series ID", "X"),  # (0012,0071)
    ("ClinicalTrialSeriesDescription", "Clinical Trial Series Description", "X"),  # (0012,0072)
    ("IssuerOfClinicalTrialSeriesID", "Issuer of Clinical Trial Series ID", "X"),  # (0012,0073)
    (
        "ClinicalTrialProtocolEthicsCommitteeName",
        "Clinical Trial Protocol Ethics Committee Name",
        "D",
    ),  # (0012,0081)
    (
        "ClinicalTrialProtocolEthicsCommitteeApprovalNumber",
        "Clinical Trial Protocol Ethics Committee Approval Number",
        "X",
    ),  # (0012,0082)
    (
        "EthicsCommitteeApprovalEffectivenessStartDate",
        "Ethics Committee Approval Effectiveness Start Date",
        "X",
    ),  # (0012,0086)
    (
        "EthicsCommitteeApprovalEffectivenessEndDate",
        "Ethics Committee Approval Effectiveness End Date",
        "X",
    ),  # (0012,0087)
    ("CalibrationTime", "Calibration Time", "X"),  # (0014,407C)
    ("CalibrationDate", "Calibration Date", "X"),  # (0014,407E)
    ("MakerNote", "Maker Note", "X"),  # (0016,002B)
    ("DeviceSettingDescription", "Device Setting Description", "X"),  # (0016,004B)
    ("CameraOwnerName", "Camera Owner Name", "X"),  # (0016,004D)
    ("LensSpecification", "Lens Specification", "X"),  # (0016,004E)
    ("LensMake", "Lens Make", "X"),  # (0016,004F)
    ("LensModel", "Lens Model", "X"),  # (0016,0050)
    ("LensSerialNumber", "Lens Serial Number", "X"),  # (0016,0051)
    ("GPSVersionID", "GPS Version ID", "X"),  # (0016,0070)
    ("GPSLatitudeRef", "GPS Latitude Ref", "X"),  # (0016,0071)
    ("GPSLatitude", "GPS Latitude", "X"),  # (0016,0072)
    ("GPSLongitudeRef", "GPS Longitude Ref", "X"),  # (0016,0073)
    ("GPSLongitude", "GPS Longitude", "X"),  # (0016,0074)
    ("GPSAltitudeRef", "GPS Altitude Ref", "X"),  # (0016,0075)
    ("GPSAltitude", "GPS Altitude", "X"),  # (0016,0076)
    ("GPSTimeStamp", "GPS Time Stamp", "X"),  # (0016,0077)
    ("GPSSatellites", "GPS Satellites", "X"),  # (0016,0078)
    ("GPSStatus", "GPS Status", "X"),  # (0016,0079)
    ("GPSMeasureMode", "GPS Measure Mode", "X"),  # (0016,007A)
    ("GPSDOP", "GPS DOP", "X"),  # (0016,007B)
    ("GPSSpeedRef", "GPS Speed Ref", "X"),  # (0016,007C)
    ("GPSSpeed", "GPS Speed", "X"),  # (0016,007D)
    ("GPSTrackRef", "GPS Track Ref", "X"),  # (0016,007E)
    ("GPSTrack", "GPS Track", "X"),  # (0016,007F)
    ("GPSImgDirectionRef", "GPS Img Direction Ref", "X"),  # (0016,0080)
    ("GPSImgDirection", "GPS Img Direction", "X"),  # (0016,0081)
    ("GPSMapDatum", "GPS Map Datum", "X"),  # (0016,0082)
    ("GPSDestLatitudeRef", "GPS Dest Latitude Ref", "X"),  # (0016,0083)
    ("GPSDestLatitude", "GPS Dest Latitude", "X"),  # (0016,0084)
    ("GPSDestLongitudeRef", "GPS Dest Longitude Ref", "X"),  # (0016,0085)
    ("GPSDestLongitude", "GPS Dest Longitude", "X"),  # (0016,0086)
    ("GPSDestBearingRef", "GPS Dest Bearing Ref", "X"),  # (0016,0087)
    ("GPSDestBearing", "GPS Dest Bearing", "X"),  # (0016,0088)
    ("GPSDestDistanceRef", "GPS Dest Distance Ref", "X"),  # (0016,0089)
    ("GPSDestDistance", "GPS Dest Distance", "X"),  # (0016,008A)
    ("GPSProcessingMethod", "GPS Processing Method", "X"),  # (0016,008B)
    ("GPSAreaInformation", "GPS Area Information", "X"),  # (0016,008C)
    ("GPSDateStamp", "GPS Date Stamp", "X"),  # (0016,008D)
    ("GPSDifferential", "GPS Differential", "X"),  # (0016,008E)
    ("ContrastBolusAgent", "Contrast/Bolus Agent", "Z/D"),  # (0018,0010)
    ("InterventionDrugStopTime", "Intervention Drug Stop Time", "X"),  # (0018,0027)
    ("InterventionDrugStartTime", "Intervention Drug Start Time", "X"),  # (0018,0035)
    ("DeviceSerialNumber", "Device Serial Number", "X/Z/D"),  # (0018,1000)
    ("DeviceUID", "Device UID", "U"),  # (0018,1002)
    ("PlateID", "Plate ID", "X"),  # (0018,1004)
    ("GeneratorID", "Generator ID", "X"),  # (0018,1005)
    ("CassetteID", "Cassette ID", "X"),  # (0018,1007)
    ("GantryID", "Gantry ID", "X"),  # (0018,1008)
    ("UniqueDeviceIdentifier", "Unique Device Identifier", "X"),  # (0018,1009)
    ("UDISequence", "UDI Sequence", "X"),  # (0018,100A)
    ("ManufacturerDeviceClassUID", "Manufacturer's Device Class UID", "U"),  # (0018,100B)
    ("DateOfSecondaryCapture", "Date of Secondary Capture", "X"),  # (0018,1012)
    ("TimeOfSecondaryCapture", "Time of Secondary Capture", "X"),  # (0018,1014)
    ("ProtocolName", "Protocol Name", "X/D"),  # (0018,1030)
    ("ContrastBolusStartTime", "Contrast/Bolus Start Time", "X"),  # (0018,1042)
    ("ContrastBolusStopTime", "Contrast/Bolus Stop Time", "X"),  # (0018,1043)
    ("RadiopharmaceuticalStartTime", "Radiopharmaceutical Start Time", "X"),  # (0018,1072)
    ("RadiopharmaceuticalStopTime", "Radiopharmaceutical Stop Time", "X"),  # (0018,1073)
    ("RadiopharmaceuticalStartDateTime", "Radiopharmaceutical Start DateTime", "X"),  # (0018,1078)
    ("RadiopharmaceuticalStopDateTime", "Radiopharmaceutical Stop DateTime", "X"),  # (0018,1079)
    ("AcquisitionFieldOfViewLabel", "Acquisition Field of View Label", "D"),  # (0018,11BB)
    ("DateOfLastCalibration", "Date of Last Calibration", "X"),  # (0018,1200)
    ("TimeOfLastCalibration", "Time of Last Calibration", "X"),  # (0018,1201)
    ("DateTimeOfLastCalibration", "DateTime of Last Calibration", "X"),  # (0018,1202)
    ("CalibrationDateTime", "Calibration DateTime", "Z"),  # (0018,1203)
    ("DateOfManufacture", "Date of Manufacture", "X"),  # (0018,1204)
    ("DateOfInstallation", "Date of Installation", "X"),  # (0018,1205)
    (
        "AcquisitionDeviceProcessingDescription",
        "Acquisition Device Processing Description",
        "X/D",
    ),  # (0018,1400)
    ("TargetUID", "Target UID", "U"),  # (0018,2042)
    ("AcquisitionComments", "Acquisition Comments", "X"),  # (0018,4000)
    ("TransducerIdentificationSequence", "Transducer Identification Sequence", "X"),  # (0018,5011)
    ("DetectorID", "Detector ID", "X/D"),  # (0018,700A)
    ("DateOfLastDetectorCalibration", "Date of Last Detector Calibration", "X/D"),  # (0018,700C)
    ("TimeOfLastDetectorCalibration", "Time of Last Detector Calibration", "X/D"),  # (0018,700E)
    ("FrameAcquisitionDateTime", "Frame Acquisition DateTime", "D"),  # (0018,9074)
    ("FrameReferenceDateTime", "Frame Reference DateTime", "D"),  # (0018,9151)
    (
        "RespiratoryMotionCompensationTechniqueDescription",
        "Respiratory Motion Compensation Technique Description",
        "X",
    ),  # (0018,9185)
    ("XRaySourceID", "X-Ray Source ID", "D"),  # (0018,9367)
    ("SourceStartDateTime", "Source Start DateTime", "D"),  # (0018,9369)
    ("SourceEndDateTime", "Source End DateTime", "D"),  # (0018,936A)
    ("XRayDetectorID", "X-Ray Detector ID", "D"),  # (0018,9371)
    ("XRayDetectorLabel", "X-Ray Detector Label", "X"),  # (0018,9373)
    ("MultienergyAcquisitionDescription", "Multi-energy Acquisition Description", "X"),  # (0018,937B)
    ("DecompositionDescription", "Decomposition Description", "X"),  # (0018,937F)
    ("AcquisitionProtocolDescription", "Acquisition Protocol Description", "X"),  # (0018,9424)
    ("StartAcquisitionDateTime", "Start Acquisition DateTime", "X/D"),  # (0018,9516)
    ("EndAcquisitionDateTime", "End Acquisition DateTime", "X/D"),  # (0018,9517)
    ("FunctionalSyncPulse", "Functional Sync Pulse", "D"),  # (0018,9623)
    ("DecayCorrectionDateTime", "Decay Correction DateTime", "D"),  # (0018,9701)
    ("ExclusionStartDateTime", "Exclusion Start DateTime", "D"),  # (0018,9804)
    ("InstructionPerformedDateTime", "Instruction Performed DateTime", "Z/D"),  # (0018,9919)
    ("RequestedSeriesDescription", "Requested Series Description", "X"),  # (0018,9937)
    ("ContributionDateTime", "Contribution DateTime", "X"),  # (0018,A002)
    ("ContributionDescription", "Contribution Description", "X"),  # (0018,A003)
    ("StudyInstanceUID", "Study Instance UID", "U"),  # (0020,000D)
    ("SeriesInstanceUID", "Series Instance UID", "U"),  # (0020,000E)
    ("StudyID", "Study ID", "Z"),  # (0020,0010)
    ("PyramidLabel", "Pyramid Label", "X"),  # (0020,0027)
    ("FrameOfReferenceUID", "Frame of Reference UID", "U"),  # (0020,0052)
    ("SynchronizationFrameOfReferenceUID", "Synchronization Frame of Reference UID", "U"),  # (0020,0200)
    ("ModifyingDeviceID", "Modifying Device ID", "X"),  # (0020,3401)
    ("ModifiedImageDate", "Modified Image Date", "X"),  # (0020,3403)
    ("ModifiedImageTime", "Modified Image Time", "X"),  # (0020,3405)
    ("ModifiedImageDescription", "Modified Image Description", "X"),  # (0020,3406)
    ("ImageComments", "Image Comments", "X"),  # (0020,4000)
    ("FrameComments", "Frame Comments", "X"),  # (0020,9158)
    ("ConcatenationUID", "Concatenation UID", "U"),  # (0020,9161)
    ("DimensionOrganizationUID", "Dimension Organization UID", "U"),  # (0020,9164)
    ("PaletteColorLookupTableUID", "Palette Color Lookup Table UID", "U"),  # (0028,1199)
    ("LargePaletteColorLookupTableUID", "Large Palette Color Lookup Table UID", "U"),  # (0028,1214)
    ("ImagePresentationComments", "Image Presentation Comments", "X"),  # (0028,4000)
    ("StudyIDIssuer", "Study ID Issuer", "X"),  # (0032,0012)
    ("StudyVerifiedDate", "Study Verified Date", "X"),  # (0032,0032)
    ("StudyVerifiedTime", "Study Verified Time", "X"),  # (0032,0033)
    ("StudyReadDate", "Study Read Date", "X"),  # (0032,0034)
    ("StudyReadTime", "Study Read Time", "X"),  # (0032,0035)
    ("ScheduledStudyStartDate", "Scheduled Study Start Date", "X"),  # (0032,1000)
    ("ScheduledStudyStartTime", "Scheduled Study Start Time", "X"),  # (0032,1001)
    ("ScheduledStudyStopDate", "Scheduled Study Stop Date", "X"),  # (0032,1010)
    ("ScheduledStudyStopTime", "Scheduled Study Stop Time", "X"),  # (0032,1011)
    ("ScheduledStudyLocation", "Scheduled Study Location", "X"),  # (0032,1020)
    ("ScheduledStudyLocationAETitle", "Scheduled Study Location AE Title", "X"),  # (0032,1021)
    ("ReasonForStudy", "Reason for Study", "X"),  # (0032,1030)
    ("RequestingPhysician", "Requesting Physician", "X"),  # (0032,1032)
    ("RequestingService", "Requesting Service", "X"),  # (0032,1033)
    ("StudyArrivalDate", "Study Arrival Date", "X"),  # (0032,1040)
    ("StudyArrivalTime", "Study Arrival Time", "X"),  # (0032,1041)
    ("StudyCompletionDate", "Study Completion Date", "X"),  # (0032,1050)
    ("StudyCompletionTime", "Study Completion Time", "X"),  # (0032,1051)
    ("RequestedProcedureDescription", "Requested Procedure Description", "X/Z"),  # (0032,1060)
    ("ReasonForVisit", "Reason for Visit", "X"),  # (0032,1066)
    ("ReasonForVisitCodeSequence", "Reason for Visit Code Sequence", "X"),  # (0032,1067)
    ("RequestedContrastAgent", "Requested Contrast Agent", "X"),  # (0032,1070)
    ("StudyComments", "Study Comments", "X"),  # (0032,4000)
    ("FlowIdentifierSequence", "Flow Identifier Sequence", "D"),  # (0034,0001)
    ("FlowIdentifier", "Flow Identifier", "D"),  # (0034,0002)
    ("SourceIdentifier", "Source Identifier", "D"),  # (0034,0005)
    ("FrameOriginTimestamp", "Frame Origin Timestamp", "D"),  # (0034,0007)
    ("ReferencedPatientAliasSequence", "Referenced Patient Alias Sequence", "X"),  # (0038,0004)
    ("AdmissionID", "Admission ID", "X"),  # (0038,0010)
    ("IssuerOfAdmissionID", "Issuer of Admission ID", "X"),  # (0038,0011)
    ("IssuerOfAdmissionIDSequence", "Issuer of Admission ID Sequence", "X"),  # (0038,0014)
    ("ScheduledAdmissionDate", "Scheduled Admission Date", "X"),  # (0038,001A)
    ("ScheduledAdmissionTime", "Scheduled Admission Time", "X"),  # (0038,001B)
    ("ScheduledDischargeDate", "Scheduled Discharge Date", "X"),  # (0038,001C)
    ("ScheduledDischargeTime", "Scheduled Discharge Time", "X"),  # (0038,001D)
    ("ScheduledPatientInstitutionResidence", "Scheduled Patient Institution Residence", "X"),  # (0038,001E)
    ("AdmittingDate", "Admitting Date", "X"),  # (0038,0020)
    ("AdmittingTime", "Admitting Time", "X"),  # (0038,0021)
    ("DischargeDate", "Discharge Date", "X"),  # (0038,0030)
    ("DischargeTime", "Discharge Time", "X"),  # (0038,0032)
    ("DischargeDiagnosisDescription", "Discharge Diagnosis Description", "X"),  # (0038,0040)
    ("SpecialNeeds", "Special Needs", "X"),  # (0038,0050)
    ("ServiceEpisodeID", "Service Episode ID", "X"),  # (0038,0060)
    ("IssuerOfServiceEpisodeID", "Issuer of Service Episode ID", "X"),  # (0038,0061)
    ("ServiceEpisodeDescription", "Service Episode Description", "X"),  # (0038,0062)
    ("IssuerOfServiceEpisodeIDSequence", "Issuer of Service Episode ID Sequence", "X"),  # (0038,0064)
    ("CurrentPatientLocation", "Current Patient Location", "X"),  # (0038,0300)
    ("PatientInstitutionResidence", "Patient's Institution Residence", "X"),  # (0038,0400)
    ("PatientState", "Patient State", "X"),  # (0038,0500)
    ("VisitComments", "Visit Comments", "X"),  # (0038,4000)
    ("MultiplexGroupUID", "Multiplex Group UID", "U"),  # (003A,0310)
    ("ImpedanceMeasurementDateTime", "Impedance Measurement DateTime", "D"),  # (003A,0314)
    ("WaveformFilterDescription", "Waveform Filter Description", "X"),  # (003A,0329)
    ("FilterLookupTableDescription", "Filter Lookup Table Description", "X"),  # (003A,032B)
    ("ScheduledStationAETitle", "Scheduled Station AE Title", "X"),  # (0040,0001)
    ("ScheduledProcedureStepStartDate", "Scheduled Procedure Step Start Date", "X"),  # (0040,0002)
    ("ScheduledProcedureStepStartTime", "Scheduled Procedure Step Start Time", "X"),  # (0040,0003)
    ("ScheduledProcedureStepEndDate", "Scheduled Procedure Step End Date", "X"),  # (0040,0004)
    ("ScheduledProcedureStepEndTime", "Scheduled Procedure Step End Time", "X"),  # (0040,0005)
    ("ScheduledPerformingPhysicianName", "Scheduled Performing Physician's Name", "X"),  # (0040,0006)
    ("ScheduledProcedureStepDescription", "Scheduled Procedure Step Description", "X"),  # (0040,0007)
    ("ScheduledProcedureStepID", "Scheduled Procedure Step ID", "X"),  # (0040,0009)
    (
        "ScheduledPerformingPhysicianIdentificationSequence",
        "Scheduled Performing Physician Identification Sequence",
        "X",
    ),  # (0040,000B)
    ("ScheduledStationName", "Scheduled Station Name", "X"),  # (0040,0010)
    ("ScheduledProcedureStepLocation", "Scheduled Procedure Step Location", "X"),  # (0040,0011)
    ("PreMedication", "Pre-Medication", "X"),  # (0040,0012)
    ("PerformedStationAETitle", "Performed Station AE Title", "X"),  # (0040,0241)
    ("PerformedStationName", "Performed Station Name", "X"),  # (0040,0242)
    ("PerformedLocation", "Performed Location", "X"),  # (0040,0243)
    ("PerformedProcedureStepStartDate", "Performed Procedure Step Start Date", "X"),  # (0040,0244)
    ("PerformedProcedureStepStartTime", "Performed Procedure Step Start Time", "X"),  # (0040,0245)
    ("PerformedProcedureStepEndDate", "Performed Procedure Step End Date", "X"),  # (0040,0250)
    ("PerformedProcedureStepEndTime", "Performed Procedure Step End Time", "X"),  # (0040,0251)
    ("PerformedProcedureStepID", "Performed Procedure Step ID", "X"),  # (0040,0253)
    ("PerformedProcedureStepDescription", "Performed Procedure Step Description", "X"),  # (0040,0254)
    ("RequestAttributesSequence", "Request Attributes Sequence", "X"),  # (0040,0275)
    ("CommentsOnThePerformedProcedureStep", "Comments on the Performed Procedure Step", "X"),  # (0040,0280)
    ("CommentsOnRadiationDose", "Comments on Radiation Dose", "X"),  # (0040,0310)
    ("SpecimenAccessionNumber", "Specimen Accession Number", "X"),  # (0040,050A)
    ("ContainerIdentifier", "Container Identifier", "D"),  # (0040,0512)
    (
        "IssuerOfTheContainerIdentifierSequence",
        "Issuer of the Container Identifier Sequence",
        "Z",
    ),  # (0040,0513)
    ("ContainerDescription", "Container Description", "X"),  # (0040,051A)
    ("SpecimenIdentifier", "Specimen Identifier", "D"),  # (0040,0551)
    ("SpecimenUID", "Specimen UID", "U"),  # (0040,0554)
    ("AcquisitionContextSequence", "Acquisition Context Sequence", "X/Z"),  # (0040,0555)
    (
        "IssuerOfTheSpecimenIdentifierSequence",
        "Issuer of the Specimen Identifier Sequence",
        "Z",
    ),  # (0040,0562)
    ("SpecimenShortDescription", "Specimen Short Description", "X"),  # (0040,0600)
    ("SpecimenDetailedDescription", "Specimen Detailed Description", "X"),  # (0040,0602)
    ("SpecimenPreparationSequence", "Specimen Preparation Sequence", "Z"),  # (0040,0610)
    ("SlideIdentifier", "Slide Identifier", "X"),  # (0040,06FA)
    ("RequestedProcedureID", "Requested Procedure ID", "X"),  # (0040,1001)
    ("ReasonForTheRequestedProcedure", "Reason for the Requested Procedure", "X"),  # (0040,1002)
    ("PatientTransportArrangements", "Patient Transport Arrangements", "X"),  # (0040,1004)
    ("RequestedProcedureLocation", "Requested Procedure Location", "X"),  # (0040,1005)
    (
        "ReasonForRequestedProcedureCodeSequence",
        "Reason for Requested Procedure Code Sequence",
        "X",
    ),  # (0040,100A)
    ("NamesOfIntendedRecipientsOfResults", "Names of Intended Recipients of Results", "X"),  # (0040,1010)
    (
        "IntendedRecipientsOfResultsIdentificationSequence",
        "Intended Recipients of Results Identification Sequence",
        "X",
    ),  # (0040,1011)
    ("PersonIdentificationCodeSequence", "Person Identification Code Sequence", "D"),  # (0040,1101)
    ("PersonAddress", "Person's Address", "X"),  # (0040,1102)
    ("PersonTelephoneNumbers", "Person's Telephone Numbers", "X"),  # (0040,1103)
    ("PersonTelecomInformation", "Person's Telecom Information", "X"),  # (0040,1104)
    ("RequestedProcedureComments", "Requested Procedure Comments", "X"),  # (0040,1400)
    ("ReasonForTheImagingServiceRequest", "Reason for the Imaging Service Request", "X"),  # (0040,2001)
    ("IssueDateOfImagingServiceRequest", "Issue Date of Imaging Service Request", "X"),  # (0040,2004)
    ("IssueTimeOfImagingServiceRequest", "Issue Time of Imaging Service Request", "X"),  # (0040,2005)
    ("OrderEnteredBy", "Order Entered By", "X"),  # (0040,2008)
    ("OrderEntererLocation", "Order Enterer's Location", "X"),  # (0040,2009)
    ("OrderCallbackPhoneNumber", "Order Callback Phone Number", "X"),  # (0040,2010)
    ("OrderCallbackTelecomInformation", "Order Callback Telecom Information", "X"),  # (0040,2011)
    (
        "PlacerOrderNumberImagingServiceRequest",
        "Placer Order Number / Imaging Service Request",
        "Z",
    ),  # (0040,2016)
    (
        "FillerOrderNumberImagingServiceRequest",
        "Filler Order Number / Imaging Service Request",
        "Z",
    ),  # (0040,2017)
    ("ImagingServiceRequestComments", "Imaging Service Request Comments", "X"),  # (0040,2400)
    (
        "ConfidentialityConstraintOnPatientDataDescription",
        "Confidentiality Constraint on Patient Data Description",
        "X",
    ),  # (0040,3001)
    ("ScheduledProcedureStepStartDateTime", "Scheduled Procedure Step Start DateTime", "X"),  # (0040,4005)
    (
        "ScheduledProcedureStepExpirationDateTime",
        "Scheduled Procedure Step Expiration DateTime",
        "X",
    ),  # (0040,4008)
    (
        "ScheduledProcedureStepModificationDateTime",
        "Scheduled Procedure Step Modification DateTime",
        "X",
    ),  # (0040,4010)
    ("ExpectedCompletionDateTime", "Expected Completion DateTime", "X"),  # (0040,4011)
    (
        "ReferencedGeneralPurposeScheduledProcedureStepTransactionUID",
        "Referenced General Purpose Scheduled Procedure Step Transaction UID",
        "U",
    ),  # (0040,4023)
    ("ScheduledStationNameCodeSequence", "Scheduled Station Name Code Sequence", "X"),  # (0040,4025)
    (
        "ScheduledStationGeographicLocationCodeSequence",
        "Scheduled Station Geographic Location Code Sequence",
        "X",
    ),  # (0040,4027)
    ("PerformedStationNameCodeSequence", "Performed Station Name Code Sequence", "X"),  # (0040,4028)
    (
        "PerformedStationGeographicLocationCodeSequence",
        "Performed Station Geographic Location Code Sequence",
        "X",
    ),  # (0040,4030)
    ("ScheduledHumanPerformersSequence", "Scheduled Human Performers Sequence", "X"),  # (0040,4034)
    ("ActualHumanPerformersSequence", "Actual Human Performers Sequence", "X"),  # (0040,4035)
    ("HumanPerformerOrganization", "Human Performer's Organization", "X"),  # (0040,4036)
    ("HumanPerformerName", "Human Performer's Name", "X"),  # (0040,4037)
    ("PerformedProcedureStepStartDateTime", "Performed Procedure Step Start DateTime", "X"),  # (0040,4050)
    ("PerformedProcedureStepEndDateTime", "Performed Procedure Step End DateTime", "X"),  # (0040,4051)
    ("ProcedureStepCancellationDateTime", "Procedure Step Cancellation DateTime", "X"),  # (0040,4052)
    ("FindingsGroupRecordingDateTrial", "Findings Group Recording Date (Trial)", "X"),  # (0040,A023)
    ("FindingsGroupRecordingTimeTrial", "Findings Group Recording Time (Trial)", "X"),  # (0040,A024)
    ("VerifyingOrganization", "Verifying Organization", "D"),  # (0040,A027)
    ("VerificationDateTime", "Verification DateTime", "D"),  # (0040,A030)
    ("ObservationDateTime", "Observation DateTime", "X/D"),  # (0040,A032)
    ("ObservationStartDateTime", "Observation Start DateTime", "X"),  # (0040,A033)
    ("VerifyingObserverSequence", "Verifying Observer Sequence", "D"),  # (0040,A073)
    ("VerifyingObserverName", "Verifying Observer Name", "D"),  # (0040,A075)
    ("AuthorObserverSequence", "Author Observer Sequence", "X"),  # (0040,A078)
    ("ParticipantSequence", "Participant Sequence", "X"),  # (0040,A07A)
    ("CustodialOrganizationSequence", "Custodial Organization Sequence", "X"),  # (0040,A07C)
    ("ParticipationDateTime", "Participation DateTime", "Z"),  # (0040,A082)
    (
        "VerifyingObserverIdentificationCodeSequence",
        "Verifying Observer Identification Code Sequence",
        "Z",
    ),  # (0040,A088)
    (
        "DateOfDocumentOrVerbalTransactionTrial",
        "Date of Document or Verbal Transaction (Trial)",
        "X",
    ),  # (0040,A110)
    (
        "TimeOfDocumentCreationOrVerbalTransactionTrial",
        "Time of Document Creation or Verbal Transaction (Trial)",
        "X",
    ),  # (0040,A112)
    ("DateTime", "DateTime", "D"),  # (0040,A120)
    ("Date", "Date", "D"),  # (0040,A121)
    ("Time", "Time", "D"),  # (0040,A122)
    ("PersonName", "Person Name", "D"),  # (0040,A123)
    ("UID", "UID", "U"),  # (0040,A124)
    ("ReferencedDateTime", "Referenced DateTime", "D"),  # (0040,A13A)
    ("ObservationUID", "Observation UID", "U"),  # (0040,A171)
    ("ReferencedObservationUIDTrial", "Referenced Observation UID (Trial)", "U"),  # (0040,A172)
    ("ObservationDateTrial", "Observation Date (Trial)", "X"),  # (0040,A192)
    ("ObservationTimeTrial", "Observation Time (Trial)", "X"),  # (0040,A193)
    ("CurrentObserverTrial", "Current Observer (Trial)", "X"),  # (0040,A307)
    ("VerbalSourceTrial", "Verbal Source (Trial)", "X"),  # (0040,A352)
    ("AddressTrial", "Address (Trial)", "X"),  # (0040,A353)
    ("TelephoneNumberTrial", "Telephone Number (Trial)", "X"),  # (0040,A354)
    (
        "VerbalSourceIdentifierCodeSequenceTrial",
        "Verbal Source Identifier Code Sequence (Trial)",
        "X",
    ),  # (0040,A358)
    ("ObservationSubjectUIDTrial", "Observation Subject UID (Trial)", "U"),  # (0040,A402)
    ("ContentSequence", "Content Sequence", "D"),  # (0040,A730)
    ("TemplateVersion", "Template Version", "X"),  # (0040,DB06)
    ("TemplateLocalVersion", "Template Local Version", "X"),  # (0040,DB07)
    ("TemplateExtensionOrganizationUID", "Template Extension Organization UID", "U"),  # (0040,DB0C)
    ("TemplateExtensionCreatorUID", "Template Extension Creator UID", "U"),  # (0040,DB0D)
    ("HL7DocumentEffectiveTime", "HL7 Document Effective Time", "X"),  # (0040,E004)
    ("EncapsulatedDocument", "Encapsulated Document", "D"),  # (0042,0011)
    ("ApprovalStatusDateTime", "Approval Status DateTime", "X"),  # (0044,0004)
    ("ProductExpirationDateTime", "Product Expiration DateTime", "X"),  # (0044,000B)
    ("SubstanceAdministrationDateTime", "Substance Administration DateTime", "X"),  # (0044,0010)
    ("AssertionDateTime", "Assertion DateTime", "D"),  # (0044,0104)
    ("AssertionExpirationDateTime", "Assertion Expiration DateTime", "X"),  # (0044,0105)
    ("ContainerComponentID", "Container Component ID", "X"),  # (0050,001B)
    ("DeviceDescription", "Device Description", "X"),  # (0050,0020)
    ("LongDeviceDescription", "Long Device Description", "X"),  # (0050,0021)
    ("TrackingUID", "Tracking UID", "U"),  # (0062,0021)
    ("SourceFrameOfReferenceUID", "Source Frame of Reference UID", "U"),  # (0064,0003)
    ("EffectiveDateTime", "Effective DateTime", "D"),  # (0068,6226)
    ("InformationIssueDateTime", "Information Issue DateTime", "D"),  # (0068,6270)
    ("AnnotationGroupUID", "Annotation Group UID", "D"),  # (006A,0003)
    ("AnnotationGroupLabel", "Annotation Group Label", "D"),  # (006A,0005)
    ("AnnotationGroupDescription", "Annotation Group Description", "X"),  # (006A,0006)
    ("GraphicAnnotationSequence", "Graphic Annotation Sequence", "D"),  # (0070,0001)
    ("PresentationCreationDate", "Presentation Creation Date", "X"),  # (0070,0082)
    ("PresentationCreationTime", "Presentation Creation Time", "X"),  # (0070,0083)
    ("ContentCreatorName", "Content Creator's Name", "Z/D"),  # (0070,0084)
    (
        "ContentCreatorIdentificationCodeSequence",
        "Content Creator's Identification Code Sequence",
        "X",
    ),  # (0070,0086)
    ("FiducialUID", "Fiducial UID", "U"),  # (0070,031A)
    ("PresentationDisplayCollectionUID", "Presentation Display Collection UID", "U"),  # (0070,1101)
    ("PresentationSequenceCollectionUID", "Presentation Sequence Collection UID", "U"),  # (0070,1102)
    ("HangingProtocolCreationDateTime", "Hanging Protocol Creation DateTime", "D"),  # (0072,000A)
    ("SelectorAEValue", "Selector AE Value", "D"),  # (0072,005E)
    ("SelectorASValue", "Selector AS Value", "D"),  # (0072,005F)
    ("SelectorDAValue", "Selector DA Value", "D"),  # (0072,0061)
    ("SelectorDTValue", "Selector DT Value", "D"),  # (0072,0063)
    ("SelectorOBValue", "Selector OB Value", "D"),  # (0072,0065)
    ("SelectorLOValue", "Selector LO Value", "D"),  # (0072,0066)
    ("SelectorLTValue", "Selector LT Value", "D"),  # (0072,0068)
    ("SelectorPNValue", "Selector PN Value", "D"),  # (0072,006A)
    ("SelectorTMValue", "Selector TM Value", "D"),  # (0072,006B)
    ("SelectorSHValue", "Selector SH Value", "D"),  # (0072,006C)
    ("SelectorUNValue", "Selector UN Value", "D"),  # (0072,006D)
    ("SelectorSTValue", "Selector ST Value", "D"),  # (0072,006E)
    ("SelectorUTValue", "Selector UT Value", "D"),  # (0072,0070)
    ("SelectorURValue", "Selector UR Value", "D"),  # (0072,0071)
    ("ReceivingAE", "Receiving AE", "X"),  # (0074,1234)
    ("RequestingAE", "Requesting AE", "X"),  # (0074,1236)
    ("StorageMediaFileSetUID", "Storage Media File-set UID", "U"),  # (0088,0140)
    ("IconImageSequence", "Icon Image Sequence", "X"),  # (0088,0200)
    ("TopicTitle", "Topic Title", "X"),  # (0088,0904)
    ("TopicSubject", "Topic Subject", "X"),  # (0088,0906)
    ("TopicAuthor", "Topic Author", "X"),  # (0088,0910)
    ("TopicKeywords", "Topic Keywords", "X"),  # (0088,0912)
    ("SOPAuthorizationDateTime", "SOP Authorization DateTime", "X"),  # (0100,0420)
    ("DigitalSignatureUID", "Digital Signature UID", "U"),  # (0400,0100)
    ("DigitalSignatureDateTime", "Digital Signature DateTime", "D"),  # (0400,0105)
    ("CertificateOfSigner", "Certificate of Signer", "D"),  # (0400,0115)
    ("CertifiedTimestamp", "Certified Timestamp", "X"),  # (0400,0310)
    ("ReferencedDigitalSignatureSequence", "Referenced Digital Signature Sequence", "X"),  # (0400,0402)
    ("ReferencedSOPInstanceMACSequence", "Referenced SOP Instance MAC Sequence", "X"),  # (0400,0403)
    ("MAC", "MAC", "X"),  # (0400,0404)
    ("ModifiedAttributesSequence", "Modified Attributes Sequence", "X"),  # (0400,0550)
    (
        "NonconformingModifiedAttributesSequence",
        "Nonconforming Modified Attributes Sequence",
        "X",
    ),  # (0400,0551)
    ("NonconformingDataElementValue", "Nonconforming Data Element Value", "X"),  # (0400,0552)
    ("OriginalAttributesSequence", "Original Attributes Sequence", "X"),  # (0400,0561)
    ("AttributeModificationDateTime", "Attribute Modification DateTime", "D"),  # (0400,0562)
    ("ModifyingSystem", "Modifying System", "D"),  # (0400,0563)
    ("SourceOfPreviousValues", "Source of Previous Values", "Z"),  # (0400,0564)
    ("ReasonForTheAttributeModification", "Reason for the Attribute Modification", "D"),  # (0400,0565)
    ("InstanceOriginStatus", "Instance Origin Status", "X"),  # (0400,0600)
    ("TextString", "Text String", "X"),  # (2030,0020)
    ("CreationDate", "Creation Date", "X"),  # (2100,0040)
    ("CreationTime", "Creation Time", "X"),  # (2100,0050)
    ("Originator", "Originator", "X"),  # (2100,0070)
    ("DestinationAE", "Destination AE", "D"),  # (2100,0140)
    ("LabelText", "Label Text", "X/Z"),  # (2200,0002)
    ("BarcodeValue", "Barcode Value", "X/Z"),  # (2200,0005)
    ("PositionAcquisitionTemplateName", "Position Acquisition Template Name", "X"),  # (3002,0121)
    (
        "PositionAcquisitionTemplateDescription",
        "Position Acquisition Template Description",
        "X",
    ),  # (3002,0123)
    ("StructureSetLabel", "Structure Set Label", "D"),  # (3006,0002)
    ("StructureSetName", "Structure Set Name", "X"),  # (3006,0004)
    ("StructureSetDescription", "Structure Set Description", "X"),  # (3006,0006)
    ("StructureSetDate", "Structure Set Date", "Z"),  # (3006,0008)
    ("StructureSetTime", "Structure Set Time", "Z"),  # (3006,0009)
    ("ReferencedFrameOfReferenceUID", "Referenced Frame of Reference UID", "U"),  # (3006,0024)
    ("ROIName", "ROI Name", "Z"),  # (3006,0026)
    ("ROIDescription", "ROI Description", "X"),  # (3006,0028)
    ("ROIDateTime", "ROI DateTime", "X"),  # (3006,002D)
    ("ROIObservationDateTime", "ROI Observation DateTime", "X"),  # (3006,002E)
    ("ROIGenerationDescription", "ROI Generation Description", "X"),  # (3006,0038)
    ("ROICreatorSequence", "ROI Creator Sequence", "X"),  # (3006,004D)
    ("ROIInterpreterSequence", "ROI Interpreter Sequence", "X"),  # (3006,004E)
    ("ROIObservationLabel", "ROI Observation Label", "X"),  # (3006,0085)
    ("ROIObservationDescription", "ROI Observation Description", "X"),  # (3006,0088)
    ("ROIInterpreter", "ROI Interpreter", "Z"),  # (3006,00A6)
    ("RelatedFrameOfReferenceUID", "Related Frame of Reference UID", "U"),  # (3006,00C2)
    ("TreatmentControlPointDate", "Treatment Control Point Date", "D"),  # (3008,0024)
    ("TreatmentControlPointTime", "Treatment Control Point Time", "D"),  # (3008,0025)
    ("FirstTreatmentDate", "First Treatment Date", "X/D"),  # (3008,0054)
    ("MostRecentTreatmentDate", "Most Recent Treatment Date", "X/D"),  # (3008,0056)
    ("SourceSerialNumber", "Source Serial Number", "X/Z"),  # (3008,0105)
    ("SafePositionExitDate", "Safe Position Exit Date", "D"),  # (3008,0162)
    ("SafePositionExitTime", "Safe Position Exit Time", "D"),  # (3008,0164)
    ("SafePositionReturnDate", "Safe Position Return Date", "D"),  # (3008,0166)
    ("SafePositionReturnTime", "Safe Position Return Time", "D"),  # (3008,0168)
    ("TreatmentDate", "Treatment Date", "X/D"),  # (3008,0250)
    ("TreatmentTime", "Treatment Time", "X/D"),  # (3008,0251)
    ("RTPlanLabel", "RT Plan Label", "D"),  # (300A,0002)
    ("RTPlanName", "RT Plan Name", "X"),  # (300A,0003)
    ("RTPlanDescription", "RT Plan Description", "X"),  # (300A,0004)
    ("RTPlanDate", "RT Plan Date", "X/D"),  # (300A,0006)
    ("RTPlanTime", "RT Plan Time", "X/D"),  # (300A,0007)
    ("TreatmentSites", "Treatment Sites", "X"),  # (300A,000B)
    ("PrescriptionDescription", "Prescription Description", "X"),  # (300A,000E)
    ("DoseReferenceUID", "Dose Reference UID", "U"),  # (300A,0013)
    ("DoseReferenceDescription", "Dose Reference Description", "X"),  # (300A,0016)
    ("FractionGroupDescription", "Fraction Group Description", "X"),  # (300A,0072)
    ("ReferencedDoseReferenceUID", "Referenced Dose Reference UID", "U"),  # (300A,0083)
    ("TreatmentMachineName", "Treatment Machine Name", "X/Z"),  # (300A,00B2)
    ("BeamDescription", "Beam Description", "X"),  # (300A,00C3)
    ("BolusDescription", "Bolus Description", "X"),  # (300A,00DD)
    ("FixationDeviceDescription", "Fixation Device Description", "X"),  # (300A,0196)
    ("ShieldingDeviceDescription", "Shielding Device Description", "X"),  # (300A,01A6)
    ("SetupTechniqueDescription", "Setup Technique Description", "X"),  # (300A,01B2)
    ("SourceManufacturer", "Source Manufacturer", "X"),  # (300A,0216)
    ("SourceStrengthReferenceDate", "Source Strength Reference Date", "D"),  # (300A,022C)
    ("SourceStrengthReferenceTime", "Source Strength Reference Time", "D"),  # (300A,022E)
    ("CompensatorDescription", "Compensator Description", "X"),  # (300A,02EB)
    ("TreatmentPositionGroupLabel", "Treatment Position Group Label", "D"),  # (300A,0608)
    ("TreatmentPositionGroupUID", "Treatment Position Group UID", "U"),  # (300A,0609)
    ("RTAccessoryHolderSlotID", "RT Accessory Holder Slot ID", "Z"),  # (300A,0611)
    ("RTAccessoryDeviceSlotID", "RT Accessory Device Slot ID", "Z"),  # (300A,0615)
    ("RadiationDoseIdentificationLabel", "Radiation Dose Identification Label", "D"),  # (300A,0619)
    ("RadiationDoseInVivoMeasurementLabel", "Radiation Dose In-Vivo Measurement Label", "D"),  # (300A,0623)
    ("RTToleranceSetLabel", "RT Tolerance Set Label", "D"),  # (300A,062A)
    ("PatientSetupUID", "Patient Setup UID", "U"),  # (300A,0650)
    ("EquipmentFrameOfReferenceDescription", "Equipment Frame of Reference Description", "X"),  # (300A,0676)
    ("RadiationGenerationModeLabel", "Radiation GenerationMode Label", "D"),  # (300A,067C)
    ("RadiationGenerationModeDescription", "Radiation GenerationMode Description", "Z"),  # (300A,067D)
    ("TreatmentSessionUID", "Treatment Session UID", "U"),  # (300A,0700)
    (
        "TreatmentToleranceViolationDescription",
        "Treatment Tolerance Violation Description",
        "D",
    ),  # (300A,0734)
    ("TreatmentToleranceViolationDateTime", "Treatment Tolerance Violation DateTime", "D"),  # (300A,0736)
    ("RecordedRTControlPointDateTime", "Recorded RT Control Point DateTime", "D"),  # (300A,073A)
    ("InterlockDateTime", "Interlock DateTime", "D"),  # (300A,0741)
    ("InterlockDescription", "Interlock Description", "D"),  # (300A,0742)
    ("OverrideDateTime", "Override DateTime", "D"),  # (300A,0760)
    ("InterlockOriginDescription", "Interlock Origin Description", "D"),  # (300A,0783)
    ("ReferencedTreatmentPositionGroupUID", "Referenced Treatment Position Group UID", "U"),  # (300A,0785)
    (
        "PatientTreatmentPreparationProcedureParameterDescription",
        "Patient Treatment Preparation Procedure Parameter Description",
        "X",
    ),  # (300A,078E)
    (
        "PatientTreatmentPreparationMethodDescription",
        "Patient Treatment Preparation Method Description",
        "X",
    ),  # (300A,0792)
    ("PatientSetupPhotoDescription", "Patient Setup Photo Description", "X"),  # (300A,0794)
    ("DisplacementReferenceLabel", "Displacement Reference Label", "X"),  # (300A,079A)
    ("ReasonForOmissionDescription", "Reason for Omission Description", "X"),  # (300C,0113)
    ("BeamHoldTransitionDateTime", "Beam Hold Transition DateTime", "D"),  # (300C,0127)
    ("ReviewDate", "Review Date", "Z"),  # (300E,0004)
    ("ReviewTime", "Review Time", "Z"),  # (300E,0005)
    ("ReviewerName", "Reviewer Name", "X/Z"),  # (300E,0008)
    ("ConceptualVolumeUID", "Conceptual Volume UID", "U"),  # (3010,0006)
    ("ReferencedConceptualVolumeUID", "Referenced Conceptual Volume UID", "U"),  # (3010,000B)
    (
        "ConceptualVolumeCombinationDescription",
        "Conceptual Volume Combination Description",
        "Z",
    ),  # (3010,000F)
    ("ConstituentConceptualVolumeUID", "Constituent Conceptual Volume UID", "U"),  # (3010,0013)
    ("SourceConceptualVolumeUID", "Source Conceptual Volume UID", "U"),  # (3010,0015)
    ("ConceptualVolumeDescription", "Conceptual Volume Description", "Z"),  # (3010,0017)
    ("DeviceAlternateIdentifier", "Device Alternate Identifier", "Z"),  # (3010,001B)
    ("DeviceLabel", "Device Label", "D"),  # (3010,002D)
    ("ReferencedFiducialsUID", "Referenced Fiducials UID", "U"),  # (3010,0031)
    ("UserContentLabel", "User Content Label", "D"),  # (3010,0033)
    ("UserContentLongLabel", "User Content Long Label", "D"),  # (3010,0034)
    ("EntityLabel", "Entity Label", "D"),  # (3010,0035)
    ("EntityName", "Entity Name", "X"),  # (3010,0036)
    ("EntityDescription", "Entity Description", "X"),  # (3010,0037)
    ("EntityLongLabel", "Entity Long Label", "D"),  # (3010,0038)
    ("RTTreatmentPhaseUID", "RT Treatment Phase UID", "U"),  # (3010,003B)
    ("ManufacturerDeviceIdentifier", "Manufacturer's Device Identifier", "Z"),  # (3010,0043)
    ("IntendedPhaseStartDate", "Intended Phase Start Date", "X/D"),  # (3010,004C)
    ("IntendedPhaseEndDate", "Intended Phase End Date", "X/D"),  # (3010,004D)
    ("RTPrescriptionLabel", "RT Prescription Label", "D"),  # (3010,0054)
    ("RTTreatmentApproachLabel", "RT Treatment Approach Label", "X/D"),  # (3010,0056)
    ("RTPhysicianIntentNarrative", "RT Physician Intent Narrative", "Z"),  # (3010,005A)
    ("ReasonForSuperseding", "Reason for Superseding", "Z"),  # (3010,005C)
    ("PriorTreatmentDoseDescription", "Prior Treatment Dose Description", "X"),  # (3010,0061)
    ("DosimetricObjectiveUID", "Dosimetric Objective UID", "U"),  # (3010,006E)
    ("ReferencedDosimetricObjectiveUID", "Referenced Dosimetric Objective UID", "U"),  # (3010,006F)
    ("TreatmentSite", "Treatment Site", "X/D"),  # (3010,0077)
    ("TreatmentTechniqueNotes", "Treatment Technique Notes", "Z"),  # (3010,007A)
    ("PrescriptionNotes", "Prescription Notes", "Z"),  # (3010,007B)
    ("FractionationNotes", "Fractionation Notes", "Z"),  # (3010,007F)
    ("PrescriptionNotesSequence", "Prescription Notes Sequence", "Z"),  # (3010,0081)
    ("IntendedFractionStartTime", "Intended Fraction Start Time", "X"),  # (3010,0085)
    ("Arbitrary", "Arbitrary", "X"),  # (4000,0010)
    ("TextComments", "Text Comments", "X"),  # (4000,4000)
    ("ResultsID", "Results ID", "X"),  # (4008,0040)
    ("ResultsIDIssuer", "Results ID Issuer", "X"),  # (4008,0042)
    ("InterpretationRecordedDate", "Interpretation Recorded Date", "X"),  # (4008,0100)
    ("InterpretationRecordedTime", "Interpretation Recorded Time", "X"),  # (4008,0101)
    ("InterpretationRecorder", "Interpretation Recorder", "X"),  # (4008,0102)
    ("InterpretationTranscriptionDate", "Interpretation Transcription Date", "X"),  # (4008,0108)
    ("InterpretationTranscriptionTime", "Interpretation Transcription Time", "X"),  # (4008,0109)
    ("InterpretationTranscriber", "Interpretation Transcriber", "X"),  # (4008,010A)
    ("InterpretationText", "Interpretation Text", "X"),  # (4008,010B)
    ("InterpretationAuthor", "Interpretation Author", "X"),  # (4008,010C)
    ("InterpretationApproverSequence", "Interpretation Approver Sequence", "X"),  # (4008,0111)
    ("InterpretationApprovalDate", "Interpretation Approval Date", "X"),  # (4008,0112)
    ("InterpretationApprovalTime", "Interpretation Approval Time", "X"),  # (4008,0113)
    ("PhysicianApprovingInterpretation", "Physician Approving Interpretation", "X"),  # (4008,0114)
    ("InterpretationDiagnosisDescription", "Interpretation Diagnosis Description", "X"),  # (4008,0115)
    ("ResultsDistributionListSequence", "Results Distribution List Sequence", "X"),  # (4008,0118)
    ("DistributionName", "Distribution Name", "X"),  # (4008,0119)
    ("DistributionAddress", "Distribution Address", "X"),  # (4008,011A)
    ("InterpretationID", "Interpretation ID", "X"),  # (4008,0200)
    ("InterpretationIDIssuer", "Interpretation ID Issuer", "X"),  # (4008,0202)
    ("Impressions", "Impressions", "X"),  # (4008,0300)
    ("ResultsComments", "Results Comments", "X"),  # (4008,4000)
    ("DigitalSignaturesSequence", "Digital Signatures Sequence", "X"),  # (FFFA,FFFA)
    ("DataSetTrailingPadding", "Data Set Trailing Padding", "X"),  # (FFFC,FFFC)
)
