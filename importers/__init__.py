"""Ways in: DICOM files, folders, zips and DICOMDIRs, de-identified before anything is stored."""
